package io.blurstream.model.layer;

/**
 * Scratch memory of a block, sized once for the largest call; reused by every block of a network
 * and by every call, so inference allocates nothing. Not thread-safe: one per thread.
 */
public final class BlockBuffers implements RecurrentCore.RowSource, RecurrentCore.RowSink {

    final float[] normalized;
    final float[] mixed;
    final float[] gated;
    final float[] core;

    // the block being applied and its input: lets this object serve as the core's row sink
    // and row source without allocating callbacks per call
    private BlurBlock block;
    private float[] x;
    private int xOff;

    // true while the core hands over rows one call at a time (not from parallel workers): the GLU
    // output of each call then reuses the start of `gated`, which stays in cache, instead of
    // walking a long window's full 2H-wide buffer
    private boolean sequential;

    /**
     * @param maxRows rows of the largest call
     * @param width model width {@code H}
     * @param coreScratch floats the recurrent core needs for {@code maxRows} rows
     */
    public BlockBuffers(int maxRows, int width, int coreScratch) {
        this.normalized = new float[maxRows * width];
        this.mixed = new float[maxRows * width];
        this.gated = new float[maxRows * 2 * width];
        this.core = new float[coreScratch];
    }

    void bind(BlurBlock block, float[] x, int xOff, boolean sequential) {
        this.block = block;
        this.x = x;
        this.xOff = xOff;
        this.sequential = sequential;
    }

    @Override
    public void prepareRows(int firstRow, int rows) {
        block.normalize(x, xOff, this, firstRow, rows);
    }

    @Override
    public void rowsReady(int firstRow, int rows) {
        block.gate(x, xOff, this, firstRow, rows, sequential ? 0 : firstRow);
    }
}
