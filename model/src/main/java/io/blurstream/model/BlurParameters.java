package io.blurstream.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors of one model, complete and checked against its {@link ParameterLayout}: every tensor
 * present with the right number of elements, every value finite. The arrays are owned by this
 * object; training updates them in place, inference copies what it needs when it compiles.
 */
public final class BlurParameters {

    private final ParameterLayout layout;
    private final Map<String, float[]> tensors;

    private BlurParameters(ParameterLayout layout, Map<String, float[]> tensors) {
        this.layout = layout;
        this.tensors = tensors;
    }

    /**
     * Wraps {@code tensors} after checking them against the configuration's layout.
     *
     * @throws IllegalArgumentException naming the first missing, unknown, mis-sized or non-finite
     *     tensor
     */
    public static BlurParameters of(BlurConfig config, Map<String, float[]> tensors) {
        ParameterLayout layout = ParameterLayout.of(config);
        Map<String, float[]> ordered = new LinkedHashMap<>();
        for (ParameterSpec spec : layout.specs()) {
            float[] data = tensors.get(spec.name());
            if (data == null) {
                throw new IllegalArgumentException("tensor '" + spec.name() + "' is missing");
            }
            if (data.length != spec.size()) {
                throw new IllegalArgumentException(
                        "tensor '"
                                + spec.name()
                                + "' has "
                                + data.length
                                + " values, expected "
                                + spec
                                + " = "
                                + spec.size());
            }
            for (int i = 0; i < data.length; i++) {
                if (!Float.isFinite(data[i])) {
                    throw new IllegalArgumentException(
                            "tensor '"
                                    + spec.name()
                                    + "' has a non-finite value "
                                    + data[i]
                                    + " at index "
                                    + i);
                }
            }
            ordered.put(spec.name(), data);
        }
        for (String name : tensors.keySet()) {
            if (!layout.contains(name)) {
                throw new IllegalArgumentException(
                        "tensor '" + name + "' is not part of this configuration");
            }
        }
        return new BlurParameters(layout, ordered);
    }

    public ParameterLayout layout() {
        return layout;
    }

    /** The live array of a tensor (not a copy). */
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

    /** A deep copy. */
    public BlurParameters copy() {
        Map<String, float[]> copy = new LinkedHashMap<>();
        tensors.forEach((name, data) -> copy.put(name, data.clone()));
        return new BlurParameters(layout, copy);
    }
}
