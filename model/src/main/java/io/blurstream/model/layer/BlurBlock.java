package io.blurstream.model.layer;

import io.blurstream.model.BlurParameters;
import io.blurstream.model.kernel.Activations;
import io.blurstream.model.kernel.Gemm;
import io.blurstream.model.kernel.LayerNormKernel;

/**
 * One residual BLUR block for inference: {@code z = LayerNorm(x)}, {@code y = core(z) + D ⊙ z},
 * {@code x += GLU(GELU(y))} (dropout is a training-only identity here).
 */
public final class BlurBlock {

    private final int width;
    private final float[] normWeight;
    private final float[] normBias;
    private final RecurrentCore core;
    private final float[] skip;
    private final float[] gluWeight;
    private final float[] gluBias;

    public BlurBlock(BlurParameters parameters, String prefix, RecurrentCore core) {
        this.core = core;
        this.width = core.width();
        this.normWeight = parameters.get(prefix + ".norm.weight").clone();
        this.normBias = parameters.get(prefix + ".norm.bias").clone();
        this.skip = parameters.get(prefix + ".D").clone();
        this.gluWeight = parameters.get(prefix + ".glu.weight").clone();
        this.gluBias = parameters.get(prefix + ".glu.bias").clone();
    }

    /** Scratch for calls of at most {@code maxRows} rows; one per thread. */
    public BlockBuffers newBuffers(int maxRows) {
        return new BlockBuffers(maxRows, width, core.scratchSize(maxRows));
    }

    /** FLOPs per row, for throughput reports. */
    public long flopsPerRow() {
        return core.flopsPerRow() + Gemm.flops(1, 2L * width, width);
    }

    /**
     * Updates {@code x} (rows × H at {@code xOff}) in place for {@code windows} windows of {@code
     * windowLength} rows.
     */
    public void apply(float[] x, int xOff, int windows, int windowLength, BlockBuffers buffers) {
        int rows = windows * windowLength;
        float[] z = buffers.normalized;
        float[] y = buffers.mixed;
        LayerNormKernel.apply(x, xOff, width, z, 0, width, rows, width, normWeight, normBias);
        core.apply(z, 0, y, 0, windows, windowLength, buffers.core);
        for (int r = 0; r < rows; r++) {
            int row = r * width;
            for (int j = 0; j < width; j++) {
                y[row + j] += skip[j] * z[row + j];
            }
        }
        Activations.gelu(y, 0, rows * width);
        Gemm.multiply(
                rows,
                2 * width,
                width,
                y,
                0,
                width,
                gluWeight,
                0,
                2 * width,
                buffers.gated,
                0,
                2 * width,
                gluBias,
                false);
        Activations.glu(buffers.gated, 0, rows, width, x, xOff, width, true);
    }
}
