package io.blurstream.model;

/**
 * The form of the state transition inside each LRU. Only the diagonal form exists now; richer state
 * mixing (block-diagonal, higher order) adds a constant here and a {@code RecurrentCore}.
 */
public enum Recurrence {
    /** {@code λ} is a complex diagonal: every state evolves on its own. */
    DIAGONAL
}
