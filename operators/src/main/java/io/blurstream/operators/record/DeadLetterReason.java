package io.blurstream.operators.record;

/** Why the ingest deserializer rejected a Kafka record. Stable names: they appear in JSON. */
public enum DeadLetterReason {
    /** The record value is null (a tombstone) or has no bytes. */
    EMPTY_PAYLOAD,
    /**
     * Not one JSON object: a syntax error, a duplicate key, trailing content, or a top-level value
     * that is not an object.
     */
    MALFORMED_JSON,
    /** The record names a {@code v} this build does not read. */
    UNSUPPORTED_VERSION,
    /** {@code sensor}, {@code ts} or {@code value} is absent or JSON null. */
    MISSING_FIELD,
    /**
     * A field has the wrong JSON type: {@code sensor} not a string, {@code ts} neither an integer
     * nor a string, {@code value} not a number (numeric strings such as {@code "NaN"} or {@code
     * "1.5"} included).
     */
    WRONG_TYPE,
    /** {@code ts} is a string but not an ISO-8601 instant with zone or offset. */
    INVALID_TIMESTAMP,
    /** {@code ts} lies outside the deserializer's accepted range. */
    TIMESTAMP_OUT_OF_RANGE,
    /** {@code value} is NaN or infinite, or does not fit a float32 (|value| above 3.4e38). */
    NON_FINITE_VALUE,
    /** {@code quality} is present but not one of {@code good}, {@code uncertain}, {@code bad}. */
    INVALID_QUALITY,
    /** {@code sensor} is not in the source catalog. */
    UNKNOWN_SENSOR
}
