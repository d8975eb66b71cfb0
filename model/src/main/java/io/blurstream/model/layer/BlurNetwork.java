package io.blurstream.model.layer;

import io.blurstream.model.BlurConfig;
import io.blurstream.model.BlurParameters;
import io.blurstream.model.ParameterLayout;
import io.blurstream.model.kernel.Gemm;
import io.blurstream.model.kernel.LayerNormKernel;
import java.util.List;

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
 * {@code O(F·W·H)}. The time map then runs as one GEMM over all sequences of a call.
 */
public final class BlurNetwork {

    /** Rows a group aims for: a window of 96 steps at H = 128 keeps its activations in L2. */
    static final int TARGET_ROWS = 192;

    private final int window;
    private final int horizon;
    private final int inputChannels;
    private final int outputChannels;
    private final int width;
    private final float[] encoderWeight;
    private final float[] encoderBias;
    private final List<BlurBlock> blocks;
    private final float[] headNormWeight;
    private final float[] headNormBias;
    private final float[] timeWeight;
    private final float[] timeBias;
    private final float[] channelWeight;
    private final float[] channelBias;
    private final float[] channelWeightColumnSums;

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
                        .toList();
        this.headNormWeight = parameters.get("head.norm.weight").clone();
        this.headNormBias = parameters.get("head.norm.bias").clone();
        this.timeWeight = parameters.get("head.time.weight").clone();
        this.timeBias = parameters.get("head.time.bias").clone();
        this.channelWeight = parameters.get("head.channel.weight").clone();
        this.channelBias = parameters.get("head.channel.bias").clone();
        this.channelWeightColumnSums = new float[outputChannels];
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

    /** Scratch for calls of at most {@code maxSequences} sequences; one per thread. */
    public Workspace newWorkspace(int maxSequences) {
        return new Workspace(this, maxSequences);
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
        for (int s0 = 0; s0 < count; s0 += group) {
            int windows = Math.min(group, count - s0);
            forecastGroup(input, inputOff + s0 * window * inputChannels, windows, s0, columns, ws);
        }
        // time map for all sequences at once: [F × W] · [W × count·C_out]
        Gemm.multiply(
                horizon,
                columns,
                window,
                timeWeight,
                0,
                window,
                ws.timeInput,
                0,
                columns,
                ws.timeOutput,
                0,
                columns,
                null,
                false);
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
            float[] input,
            int inputOff,
            int windows,
            int firstSequence,
            int columns,
            Workspace ws) {
        int rows = windows * window;
        float[] x = ws.activations;
        Gemm.multiply(
                rows,
                width,
                inputChannels,
                input,
                inputOff,
                inputChannels,
                encoderWeight,
                0,
                width,
                x,
                0,
                width,
                encoderBias,
                false);
        for (BlurBlock block : blocks) {
            block.apply(x, 0, windows, window, ws.blocks);
        }
        float[] normalized = ws.blocks.normalized;
        LayerNormKernel.apply(
                x, 0, width, normalized, 0, width, rows, width, headNormWeight, headNormBias);
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
                ws.channelOutput,
                0,
                outputChannels,
                null,
                false);
        // scatter into the time map's input: row t, column (sequence·C_out + c)
        for (int w = 0; w < windows; w++) {
            int column = (firstSequence + w) * outputChannels;
            for (int t = 0; t < window; t++) {
                System.arraycopy(
                        ws.channelOutput,
                        (w * window + t) * outputChannels,
                        ws.timeInput,
                        t * columns + column,
                        outputChannels);
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

    /** Reusable memory of {@link #forecast}; not thread-safe. */
    public static final class Workspace {
        private final int maxSequences;
        private final float[] activations;
        private final BlockBuffers blocks;
        private final float[] channelOutput;
        private final float[] timeInput;
        private final float[] timeOutput;

        private Workspace(BlurNetwork network, int maxSequences) {
            if (maxSequences <= 0) {
                throw new IllegalArgumentException("maxSequences must be > 0, got " + maxSequences);
            }
            this.maxSequences = maxSequences;
            int maxRows = Math.min(network.groupWindows(), maxSequences) * network.window;
            this.activations = new float[maxRows * network.width];
            this.blocks =
                    network.blocks.isEmpty()
                            ? new BlockBuffers(maxRows, network.width, 0)
                            : network.blocks.get(0).newBuffers(maxRows);
            this.channelOutput = new float[maxRows * network.outputChannels];
            int columns = maxSequences * network.outputChannels;
            this.timeInput = new float[network.window * columns];
            this.timeOutput = new float[network.horizon * columns];
        }

        public int maxSequences() {
            return maxSequences;
        }
    }
}
