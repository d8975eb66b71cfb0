package io.blurstream.model;

import java.util.Arrays;

/** Name, shape and optimiser group of one tensor of a model. */
public record ParameterSpec(String name, int[] shape, ParameterGroup group) {

    public ParameterSpec {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public int size() {
        int size = 1;
        for (int d : shape) {
            size = Math.multiplyExact(size, d);
        }
        return size;
    }

    /** Whether {@code other} equals this shape. */
    public boolean hasShape(int[] other) {
        return Arrays.equals(shape, other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSpec p
                && name.equals(p.name)
                && Arrays.equals(shape, p.shape)
                && group == p.group;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
