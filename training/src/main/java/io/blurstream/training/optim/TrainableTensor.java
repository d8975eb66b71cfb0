package io.blurstream.training.optim;

import io.blurstream.model.BlurParameters;
import io.blurstream.model.ParameterGroup;
import io.blurstream.model.ParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One tensor a model trains: its name, shape and optimiser group, its values and a gradient buffer
 * of the same size. Both arrays are live: the model reads {@link #values()} and writes {@link
 * #grads()}, the optimiser reads the gradients and updates the values in place, so nothing is
 * copied between the two. Any model made of {@code float[]} tensors can be trained this way.
 */
public final class TrainableTensor {

    private final String name;
    private final int[] shape;
    private final ParameterGroup group;
    private final float[] values;
    private final float[] grads;

    /**
     * Wraps {@code values} (not copied) and allocates a zero gradient buffer.
     *
     * @throws IllegalArgumentException if the shape does not describe {@code values.length}
     *     elements
     */
    public TrainableTensor(String name, int[] shape, ParameterGroup group, float[] values) {
        if (name == null || name.isEmpty() || group == null || values == null) {
            throw new IllegalArgumentException("a tensor needs a name, a group and values");
        }
        long size = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException(
                        "tensor '"
                                + name
                                + "' has a non-positive dimension in "
                                + Arrays.toString(shape));
            }
            size *= d;
        }
        if (size != values.length) {
            throw new IllegalArgumentException(
                    "tensor '"
                            + name
                            + "' of shape "
                            + Arrays.toString(shape)
                            + " needs "
                            + size
                            + " values, got "
                            + values.length);
        }
        this.name = name;
        this.shape = shape.clone();
        this.group = group;
        this.values = values;
        this.grads = new float[values.length];
    }

    /** A tensor of zeros. */
    public static TrainableTensor zeros(String name, ParameterGroup group, int... shape) {
        int size = 1;
        for (int d : shape) {
            size = Math.multiplyExact(size, Math.max(d, 0));
        }
        return new TrainableTensor(name, shape, group, new float[size]);
    }

    /**
     * The tensors of a BLUR model in layout order, wrapping its live arrays: training them updates
     * {@code parameters} in place.
     */
    public static List<TrainableTensor> of(BlurParameters parameters) {
        List<TrainableTensor> tensors = new ArrayList<>();
        for (ParameterSpec spec : parameters.layout().specs()) {
            tensors.add(
                    new TrainableTensor(
                            spec.name(), spec.shape(), spec.group(), parameters.get(spec.name())));
        }
        return tensors;
    }

    /** Sets every gradient of every tensor to zero. */
    public static void zeroGrads(List<TrainableTensor> tensors) {
        for (TrainableTensor tensor : tensors) {
            Arrays.fill(tensor.grads, 0f);
        }
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** Number of dimensions: 1 for a bias or a norm weight, 2 for a matrix. */
    public int rank() {
        return shape.length;
    }

    /** Number of elements. */
    public int size() {
        return values.length;
    }

    public ParameterGroup group() {
        return group;
    }

    /** The live values, row-major in {@link #shape()}. */
    public float[] values() {
        return values;
    }

    /** The live gradient buffer, same layout as {@link #values()}. */
    public float[] grads() {
        return grads;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + " " + group;
    }
}
