package io.blurstream.model;

/** Which recurrences a block runs. */
public enum Direction {
    /** BLUR: a forward and a backward LRU, merged. */
    BIDIRECTIONAL,
    /** The unidirectional LRU baseline: the backward half is off. */
    FORWARD;

    /** Number of recurrences per block. */
    public int count() {
        return this == BIDIRECTIONAL ? 2 : 1;
    }
}
