package io.blurstream.operators.inference;

import java.util.Arrays;
import java.util.Objects;

/**
 * A record of the model topic as it arrives: the model file's bytes, verbatim, and where they came
 * from. Nothing is decided here; {@link ForecastFunction} validates it when it reaches each
 * parallel instance, so every instance decides the same way from the same bytes.
 *
 * <p>A Flink POJO.
 */
public class ModelUpdate {

    /** The model file ({@code io.blurstream.model.io.ModelCodec} format), possibly empty. */
    public byte[] modelFile;

    /** Where the bytes came from, for log lines: {@code topic/partition@offset} or a file path. */
    public String origin;

    public ModelUpdate() {}

    public ModelUpdate(byte[] modelFile, String origin) {
        this.modelFile = modelFile;
        this.origin = origin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelUpdate u
                && Arrays.equals(modelFile, u.modelFile)
                && Objects.equals(origin, u.origin);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(modelFile) + Objects.hashCode(origin);
    }

    @Override
    public String toString() {
        return "ModelUpdate{" + origin + ", " + (modelFile == null ? 0 : modelFile.length) + " B}";
    }
}
