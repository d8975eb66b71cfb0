package io.blurstream.model.layer;

import io.blurstream.model.kernel.WorkerPool;

/**
 * The recurrent heart of a BLUR block: adds the merged recurrent output of the normalised block
 * input {@code z} (rows × width) to {@code y} (rows × width), which the caller fills with the
 * {@code D ⊙ z} skip term (or zeros) row by row as the core asks for rows of {@code z}. Rows come
 * as consecutive windows of equal length; the recurrence restarts at every window.
 *
 * <p>Implementations are immutable after construction and safe to share between threads; all
 * mutable memory comes from the caller's scratch array, so {@link #apply} allocates nothing. New
 * forms of state mixing (block-diagonal, higher-order) implement this interface and nothing else in
 * the network changes.
 */
public interface RecurrentCore {

    /** Width {@code H} of the input and output rows. */
    int width();

    /** Floats of scratch {@link #apply} needs for calls of at most {@code maxRows} rows. */
    int scratchSize(int maxRows);

    /** Told when rows of {@code y} are final, so the caller can consume them while cached. */
    @FunctionalInterface
    interface RowSink {
        /**
         * Rows {@code [firstRow, firstRow + rows)} of {@code y} (relative to its offset) are final.
         */
        void rowsReady(int firstRow, int rows);
    }

    /**
     * Adds the merged output for {@code windows} consecutive windows of {@code windowLength} rows
     * to {@code y}. Both {@code z} and {@code y} are row-major with leading dimension {@link
     * #width()}. Rows of {@code z} are requested from {@code source} before they are first read
     * (the source initialises the same rows of {@code y} then), and rows of {@code y} handed to
     * {@code sink} as soon as they are final, each exactly once, in an order of the core's
     * choosing, so the row-wise work around the core touches rows while they are in cache.
     */
    void apply(
            float[] z,
            int zOff,
            float[] y,
            int yOff,
            int windows,
            int windowLength,
            float[] scratch,
            RowSource source,
            RowSink sink);

    /** Asked to fill rows of {@code z} right before the core reads them. */
    @FunctionalInterface
    interface RowSource {
        /** Rows {@code [firstRow, firstRow + rows)} of {@code z} must be computed now. */
        void prepareRows(int firstRow, int rows);
    }

    /**
     * {@link #apply} for a single window with the pool's workers splitting it in time; the result
     * equals {@link #apply} up to float rounding. Used when one long window would otherwise leave
     * cores idle. Each worker asks {@code source} for its rows of {@code z} before it uses them and
     * hands its final rows of {@code y} to {@code sink}, so the row-wise work around the core runs
     * in the same parallel steps. The default runs everything on the calling thread.
     */
    default void applyParallel(
            float[] z,
            int zOff,
            float[] y,
            int yOff,
            int windowLength,
            float[] scratch,
            WorkerPool pool,
            RowSource source,
            RowSink sink) {
        apply(z, zOff, y, yOff, 1, windowLength, scratch, source, sink);
    }

    /** Floats of scratch {@link #applyParallel} needs for a window of {@code maxRows} rows. */
    default int parallelScratchSize(int maxRows, int threads) {
        return scratchSize(maxRows);
    }

    /** Floating-point operations per row of {@link #apply}, for throughput reporting. */
    long flopsPerRow();
}
