package io.blurstream.operators.inference;

import java.util.Arrays;
import java.util.Objects;

/**
 * A record of the model topic as it arrives, unread: its bytes and where they came from. {@link
 * ModelAssemblyFunction} reads, verifies and assembles these into {@link ModelUpdate}s.
 *
 * <p>A Flink POJO.
 */
public class ModelRecord {

    public byte[] value;

    /** {@code topic/partition@offset}, for log lines and events. */
    public String origin;

    public ModelRecord() {}

    public ModelRecord(byte[] value, String origin) {
        this.value = value;
        this.origin = origin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelRecord r
                && Arrays.equals(value, r.value)
                && Objects.equals(origin, r.origin);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(value) + Objects.hashCode(origin);
    }

    @Override
    public String toString() {
        return "ModelRecord{" + origin + ", " + (value == null ? 0 : value.length) + " B}";
    }
}
