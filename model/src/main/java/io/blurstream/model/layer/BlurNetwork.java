package io.blurstream.model.layer;

import io.blurstream.model.BlurConfig;
import io.blurstream.model.BlurParameters;
import io.blurstream.model.ParameterLayout;
import io.blurstream.model.kernel.Gemm;
import io.blurstream.model.kernel.LayerNormKernel;
import io.blurstream.model.kernel.WorkerPool;

/**
 * The BLUR network compiled for inference: encoder {@code C_in → H}, {@code L} residual blocks, and
 * the head (final LayerNorm, a map over time {@code W → F}, a map {@code H → C_out}).
 *
 * <p>Input and output are in normalised units; scaling and RevIN belong to {@code Forecaster}.
 * Sequences are processed in groups of whole windows of about {@link #TARGET_ROWS} rows, so a
 * group's activations stay in cache through all blocks and each GEMM still sees many rows.
 *
 * <p>The head applies the channel map before the time map: both are linear, so {@code (T·X +
 * b_T)·W_c + b_c = T·(X·W_c) + b_T·colsum(W_c) + b_c}, which costs {@code O(W·H·C)} instead of
 * {@code O(F·W·H)}. The time map then runs as one product over all sequences of a call.
 */
public final class BlurNetwork {

    /** Rows a group aims for: a window of 96 steps at H = 128 keeps its activations in L2. */
    static final int TARGET_ROWS = 192;

    /** Shorter windows are never split in time: the chunks would be too small to pay off. */
    static final int MIN_PARALLEL_WINDOW = 64;

    /** Heads with fewer output channels use dot products instead of a column-blocked GEMM. */
    static final int NARROW_HEAD = 16;

    private final int window;
    private final int horizon;
    private final int inputChannels;
    private final int outputChannels;
    private final int width;
    private final float[] encoderWeight;
    private final float[] encoderBias;
    private final BlurBlock[] blocks;
    private final float[] headNormWeight;
    private final float[] headNormBias;
    private final float[] timeWeight;
    private final float[] timeBias;
    private final float[] channelWeight;
    private final float[] channelBias;
    private final float[] channelWeightColumnSums;
    private final float[] channelWeightTransposed;

    public BlurNetwork(BlurConfig config, BlurParameters parameters) {
        this.window = config.window();
        this.horizon = config.horizon();
        this.inputChannels = config.inputChannels();
        this.outputChannels = config.outputChannels();
        this.width = config.hidden();
        this.encoderWeight = parameters.get("encoder.weight").clone();
        this.encoderBias = parameters.get("encoder.bias").clone();
        String[] directions = ParameterLayout.directions(config).toArray(String[]::new);
        this.blocks =
                java.util.stream.IntStream.range(0, config.layers())
                        .mapToObj(
                                i -> {
                                    String prefix = ParameterLayout.block(i);
                                    RecurrentCore core =
                                            RecurrentCores.create(
                                                    config, parameters, prefix, directions);
                                    return new BlurBlock(parameters, prefix, core);
                                })
                        .toArray(BlurBlock[]::new);
        this.headNormWeight = parameters.get("head.norm.weight").clone();
        this.headNormBias = parameters.get("head.norm.bias").clone();
        this.timeWeight = parameters.get("head.time.weight").clone();
        this.timeBias = parameters.get("head.time.bias").clone();
        this.channelWeight = parameters.get("head.channel.weight").clone();
        this.channelBias = parameters.get("head.channel.bias").clone();
        this.channelWeightColumnSums = new float[outputChannels];
        this.channelWeightTransposed = new float[outputChannels * width];
        for (int j = 0; j < width; j++) {
            for (int c = 0; c < outputChannels; c++) {
                channelWeightTransposed[c * width + j] = channelWeight[j * outputChannels + c];
            }
        }
        for (int c = 0; c < outputChannels; c++) {
            double sum = 0;
            for (int j = 0; j < width; j++) {
                sum += channelWeight[j * outputChannels + c];
            }
            channelWeightColumnSums[c] = (float) sum;
        }
    }

    /** Windows per group for this window length. */
    int groupWindows() {
        return Math.max(1, TARGET_ROWS / window);
    }

    /** Scratch for calls of at most {@code maxSequences} sequences, on the calling thread. */
    public Workspace newWorkspace(int maxSequences) {
        return new Workspace(this, maxSequences, null);
    }

    /**
     * Scratch for calls that use {@code pool}'s workers: groups of windows in parallel when there
     * are enough of them, otherwise each long window split in time (the parallel chunked scan).
     */
    public Workspace newWorkspace(int maxSequences, WorkerPool pool) {
        return new Workspace(this, maxSequences, pool);
    }

    /** FLOPs to forecast one sequence (GEMMs, scans; element-wise work not counted). */
    public long flopsPerSequence() {
        long perRow = Gemm.flops(1, width, inputChannels);
        for (BlurBlock block : blocks) {
            perRow += block.flopsPerRow();
        }
        perRow += Gemm.flops(1, outputChannels, width);
        return perRow * window + Gemm.flops(horizon, outputChannels, window);
    }

    /**
     * Forecasts {@code count} sequences.
     *
     * @param input {@code count × W × C_in} normalised values, row-major
     * @param output receives {@code count × F × C_out} normalised forecasts
     */
    public void forecast(
            float[] input, int inputOff, int count, float[] output, int outputOff, Workspace ws) {
        if (count > ws.maxSequences) {
            throw new IllegalArgumentException(
                    count + " sequences exceed the workspace capacity of " + ws.maxSequences);
        }
        int group = groupWindows();
        int columns = count * outputChannels;
        int groups = (count + group - 1) / group;
        WorkerPool pool = ws.pool;
        if (pool == null) {
            for (int g = 0; g < groups; g++) {
                forecastGroup(input, inputOff, g * group, count, columns, ws.buffers[0]);
            }
        } else if (groups >= pool.threads() || window < MIN_PARALLEL_WINDOW) {
            pool.run(
                    groups,
                    (g, worker) ->
                            forecastGroup(
                                    input,
                                    inputOff,
                                    g * group,
                                    count,
                                    columns,
                                    ws.buffers[worker]));
        } else {
            for (int s = 0; s < count; s++) {
                forecastLongWindow(input, inputOff, s, columns, ws.buffers[0], pool);
            }
        }
        // time map for all sequences at once: [F × W] · [W × count·C_out], with the right-hand
        // side stored transposed so every output is a contiguous dot product over time; this is
        // fast for a single window (7 columns) and for a batch alike
        Gemm.multiplyTransposed(
                horizon,
                columns,
                window,
                timeWeight,
                0,
                window,
                ws.timeInput,
                0,
                window,
                ws.timeOutput,
                0,
                columns);
        for (int s = 0; s < count; s++) {
            for (int k = 0; k < horizon; k++) {
                int dst = outputOff + (s * horizon + k) * outputChannels;
                int src = k * columns + s * outputChannels;
                for (int c = 0; c < outputChannels; c++) {
                    output[dst + c] =
                            ws.timeOutput[src + c]
                                    + timeBias[k] * channelWeightColumnSums[c]
                                    + channelBias[c];
                }
            }
        }
    }

    private void forecastGroup(
            float[] input, int inputOff, int firstSequence, int count, int columns, Buffers b) {
        int windows = Math.min(groupWindows(), count - firstSequence);
        encode(input, inputOff + firstSequence * window * inputChannels, windows, b);
        for (BlurBlock block : blocks) {
            block.apply(b.activations, 0, windows, window, b.blocks);
        }
        decodeChannels(windows, firstSequence, columns, b);
    }

    private void forecastLongWindow(
            float[] input, int inputOff, int sequence, int columns, Buffers b, WorkerPool pool) {
        encode(input, inputOff + sequence * window * inputChannels, 1, b);
        for (BlurBlock block : blocks) {
            block.applyParallel(b.activations, 0, window, b.blocks, pool);
        }
        decodeChannels(1, sequence, columns, b);
    }

    private void encode(float[] input, int inputOff, int windows, Buffers b) {
        Gemm.multiply(
                windows * window,
                width,
                inputChannels,
                input,
                inputOff,
                inputChannels,
                encoderWeight,
                0,
                width,
                b.activations,
                0,
                width,
                encoderBias,
                false);
    }

    /**
     * Final LayerNorm and the channel map, scattered into the time map's transposed input: row
     * {@code sequence·C_out + c}, column {@code t}.
     */
    private void decodeChannels(int windows, int firstSequence, int columns, Buffers b) {
        int rows = windows * window;
        float[] normalized = b.blocks.normalized;
        LayerNormKernel.apply(
                b.activations,
                0,
                width,
                normalized,
                0,
                width,
                rows,
                width,
                headNormWeight,
                headNormBias);
        if (outputChannels < NARROW_HEAD) {
            // a handful of channels: one dot product per output beats a GEMM over 7 columns
            Gemm.multiplyTransposed(
                    rows,
                    outputChannels,
                    width,
                    normalized,
                    0,
                    width,
                    channelWeightTransposed,
                    0,
                    width,
                    b.channelOutput,
                    0,
                    outputChannels);
        } else {
            Gemm.multiply(
                    rows,
                    outputChannels,
                    width,
                    normalized,
                    0,
                    width,
                    channelWeight,
                    0,
                    outputChannels,
                    b.channelOutput,
                    0,
                    outputChannels,
                    null,
                    false);
        }
        float[] timeInput = b.timeInput;
        for (int w = 0; w < windows; w++) {
            for (int c = 0; c < outputChannels; c++) {
                int column = (firstSequence + w) * outputChannels + c;
                int src = w * window * outputChannels + c;
                int dst = column * window;
                for (int t = 0; t < window; t++) {
                    timeInput[dst + t] = b.channelOutput[src + t * outputChannels];
                }
            }
        }
    }

    public int window() {
        return window;
    }

    public int horizon() {
        return horizon;
    }

    public int inputChannels() {
        return inputChannels;
    }

    public int outputChannels() {
        return outputChannels;
    }

    /** Per-worker memory of one group. */
    private static final class Buffers {
        private final float[] activations;
        private final BlockBuffers blocks;
        private final float[] channelOutput;
        private final float[] timeInput;

        private Buffers(
                BlurNetwork network,
                int maxRows,
                boolean parallel,
                int threads,
                float[] timeInput) {
            this.activations = new float[maxRows * network.width];
            BlurBlock first = network.blocks[0];
            this.blocks =
                    parallel
                            ? first.newParallelBuffers(maxRows, threads)
                            : first.newBuffers(maxRows);
            this.channelOutput = new float[maxRows * network.outputChannels];
            this.timeInput = timeInput;
        }
    }

    /** Reusable memory of {@link #forecast}; not thread-safe. */
    public static final class Workspace {
        private final int maxSequences;
        private final WorkerPool pool;
        private final Buffers[] buffers;
        private final float[] timeInput;
        private final float[] timeOutput;

        private Workspace(BlurNetwork network, int maxSequences, WorkerPool pool) {
            if (maxSequences <= 0) {
                throw new IllegalArgumentException("maxSequences must be > 0, got " + maxSequences);
            }
            this.maxSequences = maxSequences;
            this.pool = pool;
            int columns = maxSequences * network.outputChannels;
            this.timeInput = new float[network.window * columns];
            this.timeOutput = new float[network.horizon * columns];
            int threads = pool == null ? 1 : pool.threads();
            int maxRows = Math.min(network.groupWindows(), maxSequences) * network.window;
            this.buffers = new Buffers[threads];
            for (int w = 0; w < threads; w++) {
                // worker 0 (the caller) also runs the time-parallel path for long windows
                buffers[w] =
                        new Buffers(network, maxRows, w == 0 && threads > 1, threads, timeInput);
            }
        }

        public int maxSequences() {
            return maxSequences;
        }
    }
}
