package io.blurstream.model.grad;

import io.blurstream.model.BlurConfig;
import io.blurstream.model.ParameterLayout;
import io.blurstream.model.ParameterSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One gradient tensor per model tensor, with the same names and sizes as {@link
 * io.blurstream.model.BlurParameters}. Filled by {@link TrainingNetwork}, read by the optimiser.
 */
public final class BlurGradients {

    private final ParameterLayout layout;
    private final Map<String, float[]> tensors = new LinkedHashMap<>();

    public BlurGradients(BlurConfig config) {
        this.layout = ParameterLayout.of(config);
        for (ParameterSpec spec : layout.specs()) {
            tensors.put(spec.name(), new float[spec.size()]);
        }
    }

    public ParameterLayout layout() {
        return layout;
    }

    /** The live gradient array of a tensor. */
    public float[] get(String name) {
        float[] data = tensors.get(name);
        if (data == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "'");
        }
        return data;
    }

    /** Tensor names in layout order. */
    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    public void zero() {
        for (float[] data : tensors.values()) {
            java.util.Arrays.fill(data, 0f);
        }
    }

    /** Euclidean norm over all tensors, in double. */
    public double norm() {
        double squares = 0;
        for (float[] data : tensors.values()) {
            for (float v : data) {
                squares += (double) v * v;
            }
        }
        return Math.sqrt(squares);
    }
}
