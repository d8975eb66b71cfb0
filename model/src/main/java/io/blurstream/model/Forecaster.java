package io.blurstream.model;

import io.blurstream.model.kernel.WorkerPool;
import io.blurstream.model.layer.BlurNetwork;

/**
 * Forecasts windows in original units with a compiled {@link BlurModel}: applies the model's
 * scaler, optional RevIN and the channel mode around the network, and maps the forecast back.
 *
 * <p>A window is {@code W × C} row-major ({@code window[t·C + c]}), a forecast {@code F × C}. A
 * forecaster is immutable and can be shared by threads; each thread brings its own {@link
 * Workspace}, sized once, so {@link #forecast} allocates nothing. Non-finite inputs are the
 * caller's business (the streaming job imputes before it forecasts): they propagate to the output.
 */
public final class Forecaster {

    /** Added to the window variance under RevIN so a constant channel does not divide by zero. */
    public static final double REVIN_EPS = 1e-5;

    private final BlurModel model;
    private final BlurNetwork network;
    private final int window;
    private final int horizon;
    private final int channels;
    private final boolean independent;
    private final boolean revin;
    private final float[] mean;
    private final float[] inverseStd;
    private final float[] std;

    public Forecaster(BlurModel model) {
        this.model = model;
        BlurConfig config = model.config();
        this.network = new BlurNetwork(config, model.parameters());
        this.window = config.window();
        this.horizon = config.horizon();
        this.channels = config.channelCount();
        this.independent = config.channelMode() == ChannelMode.INDEPENDENT;
        this.revin = config.revin();
        this.mean = new float[channels];
        this.std = new float[channels];
        this.inverseStd = new float[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = (float) model.scaler().mean(c);
            std[c] = (float) model.scaler().std(c);
            inverseStd[c] = (float) (1.0 / model.scaler().std(c));
        }
    }

    /**
     * Scratch for forecasting up to {@code maxWindows} windows per call (more are sliced), on the
     * calling thread only.
     */
    public Workspace newWorkspace(int maxWindows) {
        return new Workspace(maxWindows, null);
    }

    /**
     * Scratch for forecasts that also use {@code pool}'s workers: batches are split by groups of
     * windows, and a single long window is split in time with the parallel chunked scan.
     */
    public Workspace newWorkspace(int maxWindows, WorkerPool pool) {
        return new Workspace(maxWindows, pool);
    }

    /**
     * Forecasts one window ({@code W × C} at {@code windowOff}) into {@code F × C} at {@code
     * outOff}.
     */
    public void forecast(float[] input, int inputOff, float[] output, int outputOff, Workspace ws) {
        forecast(input, inputOff, 1, output, outputOff, ws);
    }

    /**
     * Forecasts {@code count} consecutive windows; batching lets the kernels run one large GEMM
     * instead of many small ones.
     */
    public void forecast(
            float[] input, int inputOff, int count, float[] output, int outputOff, Workspace ws) {
        int windowSize = window * channels;
        int forecastSize = horizon * channels;
        if (inputOff < 0 || (long) inputOff + (long) count * windowSize > input.length) {
            throw new IllegalArgumentException(
                    count
                            + " windows of "
                            + window
                            + "x"
                            + channels
                            + " at "
                            + inputOff
                            + " overrun the input of "
                            + input.length);
        }
        if (outputOff < 0 || (long) outputOff + (long) count * forecastSize > output.length) {
            throw new IllegalArgumentException(
                    count
                            + " forecasts of "
                            + horizon
                            + "x"
                            + channels
                            + " at "
                            + outputOff
                            + " overrun the output of "
                            + output.length);
        }
        for (int b0 = 0; b0 < count; b0 += ws.maxWindows) {
            int batch = Math.min(ws.maxWindows, count - b0);
            normalize(input, inputOff + b0 * windowSize, batch, ws);
            int sequences = independent ? batch * channels : batch;
            network.forecast(ws.sequences, 0, sequences, ws.networkOutput, 0, ws.network);
            denormalize(batch, output, outputOff + b0 * forecastSize, ws);
        }
    }

    private void normalize(float[] input, int inputOff, int batch, Workspace ws) {
        for (int b = 0; b < batch; b++) {
            int base = inputOff + b * window * channels;
            for (int c = 0; c < channels; c++) {
                float shift = mean[c];
                float scale = inverseStd[c];
                float levelMean = 0;
                float levelScale = 1;
                if (revin) {
                    double sum = 0;
                    for (int t = 0; t < window; t++) {
                        sum += (input[base + t * channels + c] - shift) * scale;
                    }
                    double mu = sum / window;
                    double squares = 0;
                    for (int t = 0; t < window; t++) {
                        double d = (input[base + t * channels + c] - shift) * scale - mu;
                        squares += d * d;
                    }
                    double sigma = Math.sqrt(squares / window + REVIN_EPS);
                    levelMean = (float) mu;
                    levelScale = (float) sigma;
                }
                ws.levelMean[b * channels + c] = levelMean;
                ws.levelScale[b * channels + c] = levelScale;
                float inverseLevel = 1f / levelScale;
                for (int t = 0; t < window; t++) {
                    float value =
                            ((input[base + t * channels + c] - shift) * scale - levelMean)
                                    * inverseLevel;
                    int dst =
                            independent
                                    ? (b * channels + c) * window + t
                                    : (b * window + t) * channels + c;
                    ws.sequences[dst] = value;
                }
            }
        }
    }

    private void denormalize(int batch, float[] output, int outputOff, Workspace ws) {
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                float levelMean = ws.levelMean[b * channels + c];
                float levelScale = ws.levelScale[b * channels + c];
                for (int k = 0; k < horizon; k++) {
                    int src =
                            independent
                                    ? (b * channels + c) * horizon + k
                                    : (b * horizon + k) * channels + c;
                    float normalized = ws.networkOutput[src] * levelScale + levelMean;
                    output[outputOff + (b * horizon + k) * channels + c] =
                            normalized * std[c] + mean[c];
                }
            }
        }
    }

    public BlurModel model() {
        return model;
    }

    public int window() {
        return window;
    }

    public int horizon() {
        return horizon;
    }

    public int channels() {
        return channels;
    }

    /** FLOPs of one window's forecast (GEMMs and scans), for throughput reports. */
    public long flopsPerWindow() {
        return network.flopsPerSequence() * (independent ? channels : 1);
    }

    /** Reusable memory of a {@link Forecaster}; one per thread. */
    public final class Workspace {
        private final int maxWindows;
        private final float[] sequences;
        private final float[] networkOutput;
        private final float[] levelMean;
        private final float[] levelScale;
        private final BlurNetwork.Workspace network;

        private Workspace(int maxWindows, WorkerPool pool) {
            if (maxWindows <= 0) {
                throw new IllegalArgumentException("maxWindows must be > 0, got " + maxWindows);
            }
            this.maxWindows = maxWindows;
            this.sequences = new float[maxWindows * window * channels];
            this.networkOutput = new float[maxWindows * horizon * channels];
            this.levelMean = new float[maxWindows * channels];
            this.levelScale = new float[maxWindows * channels];
            this.network =
                    Forecaster.this.network.newWorkspace(
                            independent ? maxWindows * channels : maxWindows, pool);
        }

        public int maxWindows() {
            return maxWindows;
        }
    }
}
