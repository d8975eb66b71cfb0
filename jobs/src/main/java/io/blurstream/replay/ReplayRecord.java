package io.blurstream.replay;

import io.blurstream.operators.record.DeadLetterReason;

/**
 * A record the replay sends: its topic, key and value bytes, and the position in the send order
 * given as the event time at which a live sensor would have sent it ({@code sendAtMillis}, which
 * pacing maps to wall-clock time). {@code kind} tells tests and the demo what was sent on purpose;
 * a broken record also says which dead-letter reason the job must give it ({@code expectedReason},
 * null otherwise).
 */
public record ReplayRecord(
        String topic,
        byte[] key,
        byte[] value,
        long sendAtMillis,
        long eventMillis,
        Kind kind,
        DeadLetterReason expectedReason) {

    /** What a record is meant to be. */
    public enum Kind {
        /** A well-formed reading that arrives within the disorder bound. */
        READING,
        /** A well-formed reading held back beyond the allowed lateness. */
        LATE_READING,
        /** A second copy of a reading, as an at-least-once gateway sends it. */
        DUPLICATE,
        /** A deliberately broken record, which the job must dead-letter. */
        MALFORMED
    }
}
