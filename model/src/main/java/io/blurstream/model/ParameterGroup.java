package io.blurstream.model;

/** Optimiser groups: LRUs train their recurrent parameters gently and without weight decay. */
public enum ParameterGroup {
    /** {@code ν, θ, γ_log, B} of every LRU. */
    RECURRENT,
    /** Everything else: encoder, norms, {@code C}, {@code D}, GLU, head. */
    DENSE
}
