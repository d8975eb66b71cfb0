package io.blurstream.model.layer;

import io.blurstream.model.BlurParameters;
import io.blurstream.model.kernel.Activations;
import io.blurstream.model.kernel.Gemm;
import io.blurstream.model.kernel.LayerNormKernel;
import io.blurstream.model.kernel.WorkerPool;

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

    /** Scratch for {@link #applyParallel} on windows of at most {@code maxRows} rows. */
    public BlockBuffers newParallelBuffers(int maxRows, int threads) {
        return new BlockBuffers(
                maxRows,
                width,
                Math.max(core.scratchSize(maxRows), core.parallelScratchSize(maxRows, threads)));
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
        // the core asks for normalised rows and hands back finished ones chunk by chunk, so a
        // long window's rows stay in cache from the LayerNorm to the projection and from the
        // merge to the GLU
        buffers.bind(this, x, xOff, true);
        core.apply(
                buffers.normalized,
                0,
                buffers.mixed,
                0,
                windows,
                windowLength,
                buffers.core,
                buffers,
                buffers);
    }

    /**
     * Rows {@code [r0, r0 + rows)} after the core, which added its output to the skip term in
     * {@code y}: GELU, the GLU projection, and the residual update of {@code x}; the GLU output
     * goes to row {@code gatedRow} of the gated scratch.
     */
    void gate(float[] x, int xOff, BlockBuffers buffers, int r0, int rows, int gatedRow) {
        float[] y = buffers.mixed;
        int first = r0 * width;
        Activations.gelu(y, first, rows * width);
        Gemm.multiply(
                rows,
                2 * width,
                width,
                y,
                first,
                width,
                gluWeight,
                0,
                2 * width,
                buffers.gated,
                2 * gatedRow * width,
                2 * width,
                gluBias,
                false);
        Activations.addGlu(
                buffers.gated, 2 * gatedRow * width, rows, width, x, xOff + first, width);
    }

    /**
     * {@link #apply} for one long window, split in time across the pool's workers: row-wise work by
     * row ranges, the recurrence by the core's parallel chunked scan.
     */
    public void applyParallel(
            float[] x, int xOff, int windowLength, BlockBuffers buffers, WorkerPool pool) {
        buffers.bind(this, x, xOff, false);
        core.applyParallel(
                buffers.normalized,
                0,
                buffers.mixed,
                0,
                windowLength,
                buffers.core,
                pool,
                buffers,
                buffers);
    }

    /**
     * LayerNorm of rows {@code [r0, r0 + rows)} of {@code x} into the normalised buffer {@code z},
     * and the skip term {@code D ⊙ z} of those rows into {@code y}, to which the core then adds its
     * merge: one pass over rows in cache instead of a zero fill and a pass of its own.
     */
    void normalize(float[] x, int xOff, BlockBuffers buffers, int r0, int rows) {
        LayerNormKernel.apply(
                x,
                xOff + r0 * width,
                width,
                buffers.normalized,
                r0 * width,
                width,
                rows,
                width,
                normWeight,
                normBias);
        Activations.scaleRows(
                buffers.normalized, r0 * width, skip, buffers.mixed, r0 * width, rows, width);
    }
}
