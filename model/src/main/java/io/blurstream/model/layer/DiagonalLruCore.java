package io.blurstream.model.layer;

import io.blurstream.model.BlurParameters;
import io.blurstream.model.kernel.ComplexScan;
import io.blurstream.model.kernel.Gemm;
import io.blurstream.model.kernel.WorkerPool;

/**
 * One or two diagonal LRUs (forward, and backward for BLUR) and their merging layer.
 *
 * <p>Compiled form: both input matrices {@code γ ⊙ B} of all directions are packed side by side
 * into one {@code H × 2N·d} projection ({@code [Re B_f | Im B_f | Re B_b | Im B_b]}), so a single
 * GEMM computes every recurrence's input; the scans then run in place on that buffer, and a single
 * GEMM with the stacked {@code [Re C_f; -Im C_f; Re C_b; -Im C_b]} ({@code 2N·d × H}) computes
 * {@code Re(C_f h_f + C_b h_b)}.
 *
 * <p>Windows no longer than {@link #CHUNK_ROWS} are projected, scanned both ways and merged while
 * they sit in cache. Longer windows are processed in time chunks, fused: a first pass projects each
 * chunk, scans it forward with the carry from the previous chunk and merges the forward direction
 * into {@code y}; a second pass walks the chunks backwards, projects, scans each backward with the
 * carry from the next chunk and adds the backward direction's merge.
 */
public final class DiagonalLruCore implements RecurrentCore {

    /** Rows processed at a time for long windows: the projected chunk fits in L2. */
    static final int CHUNK_ROWS = 256;

    /** Shortest time chunk the parallel scan gives a worker; shorter ones cost more to join. */
    static final int MIN_CHUNK_ROWS = 32;

    private final int width;
    private final int states;
    private final int directions;
    private final int projectedWidth;
    private final float[] projection;
    private final float[] merge;
    private final float[][] lambdaRe;
    private final float[][] lambdaIm;

    /** λ powers for the parallel scan, per direction, for the last chunk length used. */
    private volatile Powers powers;

    /** {@code λ^(j+1)} for {@code j < length}, row-major {@code [length × N]} per direction. */
    private record Powers(int length, float[][] re, float[][] im) {}

    /**
     * Compiles the LRUs of block {@code prefix} (e.g. {@code blocks.0}).
     *
     * @param directionNames {@code forward}, optionally followed by {@code backward}
     */
    public DiagonalLruCore(
            BlurParameters parameters,
            String prefix,
            int width,
            int states,
            String... directionNames) {
        this.width = width;
        this.states = states;
        this.directions = directionNames.length;
        this.projectedWidth = 2 * states * directions;
        this.projection = new float[width * projectedWidth];
        this.merge = new float[projectedWidth * width];
        this.lambdaRe = new float[directions][states];
        this.lambdaIm = new float[directions][states];
        for (int d = 0; d < directions; d++) {
            String lru = prefix + "." + directionNames[d];
            compileDirection(parameters, lru, d);
        }
    }

    private void compileDirection(BlurParameters parameters, String lru, int d) {
        float[] nu = parameters.get(lru + ".nu");
        float[] theta = parameters.get(lru + ".theta");
        float[] gammaLog = parameters.get(lru + ".gamma_log");
        float[] bRe = parameters.get(lru + ".B_re");
        float[] bIm = parameters.get(lru + ".B_im");
        float[] cRe = parameters.get(lru + ".C_re");
        float[] cIm = parameters.get(lru + ".C_im");
        int reCol = 2 * states * d;
        int imCol = reCol + states;
        for (int s = 0; s < states; s++) {
            lambdaRe[d][s] = LruEigenvalues.real(nu[s], theta[s]);
            lambdaIm[d][s] = LruEigenvalues.imaginary(nu[s], theta[s]);
            float gamma = (float) Math.exp(gammaLog[s]);
            for (int j = 0; j < width; j++) {
                projection[j * projectedWidth + reCol + s] = gamma * bRe[j * states + s];
                projection[j * projectedWidth + imCol + s] = gamma * bIm[j * states + s];
            }
            for (int j = 0; j < width; j++) {
                merge[(reCol + s) * width + j] = cRe[s * width + j];
                merge[(imCol + s) * width + j] = -cIm[s * width + j];
            }
        }
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int scratchSize(int maxRows) {
        return maxRows * projectedWidth + 2 * states;
    }

    @Override
    public long flopsPerRow() {
        return 2 * Gemm.flops(1, projectedWidth, width) + directions * ComplexScan.flops(1, states);
    }

    @Override
    public void apply(
            float[] z,
            int zOff,
            float[] y,
            int yOff,
            int windows,
            int windowLength,
            float[] scratch,
            RowSource source,
            RowSink sink) {
        int carry = scratch.length - 2 * states;
        if (windowLength <= CHUNK_ROWS) {
            // Short windows go in groups of at most a chunk's rows, so a group's projected rows
            // (4N wide) stay in L2 from the projection through the scans to the merge; a batch,
            // or the channels of a channel-independent model, would otherwise project all of
            // its rows into a buffer several times the cache and read it back from L3.
            int groupWindows = Math.max(1, CHUNK_ROWS / windowLength);
            for (int w0 = 0; w0 < windows; w0 += groupWindows) {
                int inGroup = Math.min(groupWindows, windows - w0);
                int firstRow = w0 * windowLength;
                int groupRows = inGroup * windowLength;
                source.prepareRows(firstRow, groupRows);
                project(
                        groupRows,
                        0,
                        projectedWidth,
                        z,
                        zOff + firstRow * width,
                        scratch,
                        0,
                        projectedWidth);
                for (int w = 0; w < inGroup; w++) {
                    int first = w * windowLength * projectedWidth;
                    for (int d = 0; d < directions; d++) {
                        clearCarry(scratch, carry);
                        scan(
                                d,
                                scratch,
                                first + 2 * states * d,
                                windowLength,
                                projectedWidth,
                                carry);
                    }
                }
                merge(groupRows, scratch, 0, y, yOff + firstRow * width);
                sink.rowsReady(firstRow, groupRows);
            }
            return;
        }
        for (int w = 0; w < windows; w++) {
            int windowRow = w * windowLength;
            applyLong(
                    z,
                    zOff + windowRow * width,
                    y,
                    yOff + windowRow * width,
                    windowLength,
                    scratch,
                    carry,
                    source,
                    sink,
                    windowRow);
        }
    }

    /** The fused two-pass form for one window longer than a chunk (see the class comment). */
    private void applyLong(
            float[] z,
            int zOff,
            float[] y,
            int yOff,
            int length,
            float[] scratch,
            int carry,
            RowSource source,
            RowSink sink,
            int firstRow) {
        // Each pass merges its own direction into y right after the scan, so between the passes
        // only y (H wide) waits in memory, not the scanned states (2N wide per direction); one
        // chunk of projected rows at the start of the scratch is all the scratch in use, packed
        // 2N wide: at the full row width of 4N a chunk spread over twice the cache (a row of
        // W = 4096, H = N = 128 took 9.77 µs against 9.24 at W = 96; packed, 9.57).
        int directionWidth = 2 * states;
        boolean bidirectional = directions > 1;
        clearCarry(scratch, carry);
        for (int t0 = 0; t0 < length; t0 += CHUNK_ROWS) {
            int rows = Math.min(CHUNK_ROWS, length - t0);
            source.prepareRows(firstRow + t0, rows);
            project(rows, 0, directionWidth, z, zOff + t0 * width, scratch, 0, directionWidth);
            scan(0, scratch, 0, rows, directionWidth, carry);
            mergeDirection(0, rows, scratch, y, yOff + t0 * width);
            if (!bidirectional) {
                sink.rowsReady(firstRow + t0, rows);
            }
        }
        if (!bidirectional) {
            return;
        }
        clearCarry(scratch, carry);
        int lastChunk = (length - 1) / CHUNK_ROWS * CHUNK_ROWS;
        for (int t0 = lastChunk; t0 >= 0; t0 -= CHUNK_ROWS) {
            int rows = Math.min(CHUNK_ROWS, length - t0);
            project(
                    rows,
                    directionWidth,
                    directionWidth,
                    z,
                    zOff + t0 * width,
                    scratch,
                    0,
                    directionWidth);
            scan(1, scratch, 0, rows, directionWidth, carry);
            mergeDirection(1, rows, scratch, y, yOff + t0 * width);
            sink.rowsReady(firstRow + t0, rows);
        }
    }

    @Override
    public int parallelScratchSize(int maxRows, int threads) {
        // projected rows, then per chunk: local end state and incoming state per direction
        return maxRows * projectedWidth + 4 * threads * 2 * states * directions;
    }

    /**
     * The exact parallel chunked scan. Each worker projects its chunk of time and scans it from a
     * zero state (forward and backward); the true state entering every chunk then follows
     * sequentially from the chunk end states and {@code λ^len}; each worker finally adds {@code
     * λ^(j+1) ⊙ incoming} to its rows and merges them.
     */
    @Override
    public void applyParallel(
            float[] z,
            int zOff,
            float[] y,
            int yOff,
            int length,
            float[] scratch,
            WorkerPool pool,
            RowSource source,
            RowSink sink) {
        int chunks = Math.min(pool.threads(), Math.max(1, length / MIN_CHUNK_ROWS));
        int chunkLength = (length + chunks - 1) / chunks;
        chunks = (length + chunkLength - 1) / chunkLength;
        int stateSize = 2 * states;
        int localBase = length * projectedWidth;
        int incomingBase = localBase + chunks * stateSize * directions;
        Powers table = powers(chunkLength);
        int chunkCount = chunks;
        pool.run(
                chunkCount,
                (k, worker) -> {
                    int t0 = k * chunkLength;
                    int rows = Math.min(chunkLength, length - t0);
                    int chunk = t0 * projectedWidth;
                    source.prepareRows(t0, rows);
                    project(
                            rows,
                            0,
                            projectedWidth,
                            z,
                            zOff + t0 * width,
                            scratch,
                            chunk,
                            projectedWidth);
                    for (int d = 0; d < directions; d++) {
                        int carry = localBase + (d * chunkCount + k) * stateSize;
                        clearCarry(scratch, carry);
                        scan(d, scratch, chunk + 2 * states * d, rows, projectedWidth, carry);
                    }
                });
        // incoming state of each chunk, in scan order: forward from the first chunk, backward
        // from the last
        for (int d = 0; d < directions; d++) {
            boolean backward = d == 1;
            for (int step = 0; step < chunkCount; step++) {
                int k = backward ? chunkCount - 1 - step : step;
                int incoming = incomingBase + (d * chunkCount + k) * stateSize;
                clearCarry(scratch, incoming);
                if (step == 0) {
                    continue;
                }
                int previous = backward ? k + 1 : k - 1;
                int previousRows = Math.min(chunkLength, length - previous * chunkLength);
                int previousIncoming = incomingBase + (d * chunkCount + previous) * stateSize;
                int previousLocal = localBase + (d * chunkCount + previous) * stateSize;
                int p = (previousRows - 1) * states;
                for (int s = 0; s < states; s++) {
                    float pr = table.re[d][p + s];
                    float pi = table.im[d][p + s];
                    float cr = scratch[previousIncoming + s];
                    float ci = scratch[previousIncoming + states + s];
                    scratch[incoming + s] = scratch[previousLocal + s] + pr * cr - pi * ci;
                    scratch[incoming + states + s] =
                            scratch[previousLocal + states + s] + pr * ci + pi * cr;
                }
            }
        }
        pool.run(
                chunkCount,
                (k, worker) -> {
                    int t0 = k * chunkLength;
                    int rows = Math.min(chunkLength, length - t0);
                    int chunk = t0 * projectedWidth;
                    for (int d = 0; d < directions; d++) {
                        boolean backward = d == 1;
                        boolean first = backward ? k == chunkCount - 1 : k == 0;
                        if (first) {
                            continue;
                        }
                        int incoming = incomingBase + (d * chunkCount + k) * stateSize;
                        int start = chunk + 2 * states * d;
                        int firstRow = backward ? start + (rows - 1) * projectedWidth : start;
                        ComplexScan.addCarry(
                                scratch,
                                firstRow,
                                rows,
                                backward ? -projectedWidth : projectedWidth,
                                states,
                                table.re[d],
                                table.im[d],
                                scratch,
                                incoming);
                    }
                    merge(rows, scratch, chunk, y, yOff + t0 * width);
                    sink.rowsReady(t0, rows);
                });
    }

    private Powers powers(int length) {
        Powers cached = powers;
        if (cached != null && cached.length == length) {
            return cached;
        }
        float[][] re = new float[directions][length * states];
        float[][] im = new float[directions][length * states];
        for (int d = 0; d < directions; d++) {
            ComplexScan.powers(lambdaRe[d], lambdaIm[d], states, length, re[d], im[d]);
        }
        Powers computed = new Powers(length, re, im);
        powers = computed;
        return computed;
    }

    /**
     * Projects {@code rows} rows of {@code z} onto {@code columns} columns of the input projection
     * starting at {@code firstColumn}, into rows of the scratch {@code ld} apart starting at {@code
     * dst}.
     */
    private void project(
            int rows,
            int firstColumn,
            int columns,
            float[] z,
            int zOff,
            float[] scratch,
            int dst,
            int ld) {
        Gemm.multiply(
                rows,
                columns,
                width,
                z,
                zOff,
                width,
                projection,
                firstColumn,
                projectedWidth,
                scratch,
                dst,
                ld,
                null,
                false);
    }

    /** {@code y += Re(C h)} for {@code rows} scanned rows starting at {@code src}. */
    private void merge(int rows, float[] scratch, int src, float[] y, int yOff) {
        Gemm.multiply(
                rows,
                width,
                projectedWidth,
                scratch,
                src,
                projectedWidth,
                merge,
                0,
                width,
                y,
                yOff,
                width,
                null,
                true);
    }

    /**
     * {@code y += Re(C_d h_d)} for one direction's {@code rows} scanned rows at the start of the
     * scratch, packed {@code 2N} wide.
     */
    private void mergeDirection(int direction, int rows, float[] scratch, float[] y, int yOff) {
        Gemm.multiply(
                rows,
                width,
                2 * states,
                scratch,
                0,
                2 * states,
                merge,
                direction * 2 * states * width,
                width,
                y,
                yOff,
                width,
                null,
                true);
    }

    private void scan(int direction, float[] buf, int off, int rows, int ld, int carry) {
        if (direction == 0) {
            ComplexScan.forward(buf, off, rows, ld, states, lambdaRe[0], lambdaIm[0], buf, carry);
        } else {
            ComplexScan.backward(buf, off, rows, ld, states, lambdaRe[1], lambdaIm[1], buf, carry);
        }
    }

    private void clearCarry(float[] scratch, int carry) {
        java.util.Arrays.fill(scratch, carry, carry + 2 * states, 0f);
    }
}
