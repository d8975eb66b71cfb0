package io.blurstream.operators.inference;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * A model in broadcast state: its id and version and the model file it was decoded from. The bytes
 * are kept, not the decoded weights, so a checkpoint holds exactly what was accepted and a restored
 * job serves it without re-reading the model topic.
 *
 * <p>A Flink POJO; serialisable too, because a function carries the model file given at start.
 */
public class ServingModel implements Serializable {
    private static final long serialVersionUID = 1L;

    public String modelId;

    public long version;

    /** SHA-256 of {@link #modelFile}, hex: tells a re-sent copy from a different file. */
    public String sha256;

    public byte[] modelFile;

    public ServingModel() {}

    public ServingModel(String modelId, long version, String sha256, byte[] modelFile) {
        this.modelId = modelId;
        this.version = version;
        this.sha256 = sha256;
        this.modelFile = modelFile;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServingModel m
                && version == m.version
                && Objects.equals(modelId, m.modelId)
                && Objects.equals(sha256, m.sha256)
                && Arrays.equals(modelFile, m.modelFile);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelId, version, sha256) * 31 + Arrays.hashCode(modelFile);
    }

    @Override
    public String toString() {
        return "ServingModel{" + modelId + " v" + version + "}";
    }
}
