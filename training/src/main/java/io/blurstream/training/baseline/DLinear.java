package io.blurstream.training.baseline;

import io.blurstream.model.ParameterGroup;
import io.blurstream.model.kernel.Gemm;
import io.blurstream.training.optim.TrainableTensor;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * DLinear (Zeng et al., "Are Transformers Effective for Time Series Forecasting?", AAAI 2023), the
 * shared-weights variant ({@code individual=False}): every channel is forecast on its own, with the
 * same weights for all channels.
 *
 * <p>A series {@code x} of {@code L} values is split into a trend, its moving average over {@code
 * kernel} values, and the seasonal rest {@code x − trend}; each part goes through its own linear
 * map to {@code F} values and the two are added:
 *
 * <pre>
 * trend[t]  = mean of x[clamp(t − P .. t + P)],  P = (kernel − 1) / 2
 * forecast  = seasonal·W_s + b_s + trend·W_t + b_t
 * </pre>
 *
 * The moving average pads by repeating the first and the last value {@code P} times, so the trend
 * has length {@code L} like the input (the reference pads with {@code x[0]} and {@code x[L−1]}
 * before an {@code AvgPool1d}).
 *
 * <p><b>Layout.</b> Weights follow the project convention of {@code ParameterLayout}, {@code in ×
 * out} row-major ({@code [L, F]}), so a forward pass is {@code X·W}; PyTorch's {@code nn.Linear}
 * stores the transpose, {@code [F, L]}. Batches are {@code rows × L} inputs, one row per (window,
 * channel) pair, and {@code rows × F} outputs.
 *
 * <p><b>Initialisation</b> as in the Time-Series-Library DLinear: every weight {@code 1/L} (so the
 * first forecast is the window mean, a sensible start), biases uniform in {@code ±1/√L}, the {@code
 * nn.Linear} default the reference leaves in place.
 *
 * <p>Not thread-safe; concurrent forecasts need one {@link Workspace} each and no training at the
 * same time.
 */
public final class DLinear {

    /** The moving-average kernel of the paper and all its scripts. */
    public static final int DEFAULT_KERNEL = 25;

    private final int lookback;
    private final int horizon;
    private final int kernel;
    private final TrainableTensor seasonalWeight;
    private final TrainableTensor seasonalBias;
    private final TrainableTensor trendWeight;
    private final TrainableTensor trendBias;
    private final List<TrainableTensor> tensors;

    private DLinear(int lookback, int horizon, int kernel) {
        if (lookback < 1 || horizon < 1) {
            throw new IllegalArgumentException(
                    "lookback and horizon must be >= 1, got " + lookback + " and " + horizon);
        }
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException(
                    "the moving-average kernel must be odd and >= 1 (centred, same length as the"
                            + " input), got "
                            + kernel);
        }
        this.lookback = lookback;
        this.horizon = horizon;
        this.kernel = kernel;
        this.seasonalWeight =
                TrainableTensor.zeros("seasonal.weight", ParameterGroup.DENSE, lookback, horizon);
        this.seasonalBias = TrainableTensor.zeros("seasonal.bias", ParameterGroup.DENSE, horizon);
        this.trendWeight =
                TrainableTensor.zeros("trend.weight", ParameterGroup.DENSE, lookback, horizon);
        this.trendBias = TrainableTensor.zeros("trend.bias", ParameterGroup.DENSE, horizon);
        this.tensors = List.of(seasonalWeight, seasonalBias, trendWeight, trendBias);
    }

    /**
     * A model initialised as the reference does (see the class comment); {@code random} draws the
     * biases, seasonal first.
     */
    public static DLinear initialize(
            int lookback, int horizon, int kernel, SplittableRandom random) {
        DLinear model = new DLinear(lookback, horizon, kernel);
        float weight = 1f / lookback;
        Arrays.fill(model.seasonalWeight.values(), weight);
        Arrays.fill(model.trendWeight.values(), weight);
        double bound = 1 / Math.sqrt(lookback);
        for (TrainableTensor bias : List.of(model.seasonalBias, model.trendBias)) {
            float[] b = bias.values();
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) ((2 * random.nextDouble() - 1) * bound);
            }
        }
        return model;
    }

    /** A model with every weight and bias zero, for tests that set them by hand. */
    static DLinear zeros(int lookback, int horizon, int kernel) {
        return new DLinear(lookback, horizon, kernel);
    }

    /** Input steps {@code L}. */
    public int lookback() {
        return lookback;
    }

    /** Forecast steps {@code F}. */
    public int horizon() {
        return horizon;
    }

    public int kernel() {
        return kernel;
    }

    /**
     * The four tensors, {@code seasonal.weight [L, F]}, {@code seasonal.bias [F]}, {@code
     * trend.weight [L, F]}, {@code trend.bias [F]}: live, for the optimiser.
     */
    public List<TrainableTensor> tensors() {
        return tensors;
    }

    /** Copies every weight and bias of {@code other}, which must have the same shape. */
    public void copyFrom(DLinear other) {
        if (other.lookback != lookback || other.horizon != horizon || other.kernel != kernel) {
            throw new IllegalArgumentException("cannot copy a DLinear of another shape");
        }
        for (int t = 0; t < tensors.size(); t++) {
            float[] from = other.tensors.get(t).values();
            System.arraycopy(from, 0, tensors.get(t).values(), 0, from.length);
        }
    }

    /** A deep copy of the weights and biases (gradients start at zero). */
    public DLinear copy() {
        DLinear copy = new DLinear(lookback, horizon, kernel);
        copy.copyFrom(this);
        return copy;
    }

    /** Scratch arrays for batches of up to {@code maxRows} rows. */
    public Workspace newWorkspace(int maxRows) {
        return new Workspace(maxRows, lookback, horizon);
    }

    /**
     * Splits each of {@code rows} series ({@code rows × L}, row-major, from {@code inputs[0]}) into
     * seasonal and trend parts of the same layout.
     */
    void decompose(float[] inputs, int rows, float[] seasonal, float[] trend) {
        int half = (kernel - 1) / 2;
        int last = lookback - 1;
        for (int r = 0; r < rows; r++) {
            int base = r * lookback;
            // Running window sum in double over the replicate-padded series: O(L) per row
            // instead of O(L·kernel), and no drift over the 96+ updates.
            double sum = 0;
            for (int j = -half; j <= half; j++) {
                sum += inputs[base + Math.min(Math.max(j, 0), last)];
            }
            for (int t = 0; t < lookback; t++) {
                float mean = (float) (sum / kernel);
                trend[base + t] = mean;
                seasonal[base + t] = inputs[base + t] - mean;
                int enter = Math.min(t + half + 1, last);
                int leave = Math.max(t - half, 0);
                sum += inputs[base + enter] - inputs[base + leave];
            }
        }
    }

    /**
     * Forecasts {@code rows} series: {@code inputs} is {@code rows × L} from index 0, {@code
     * outputs} receives {@code rows × F} from index 0. Allocates nothing.
     */
    public void forward(float[] inputs, int rows, float[] outputs, Workspace ws) {
        checkRows(rows, ws);
        if (inputs.length < rows * lookback || outputs.length < rows * horizon) {
            throw new IllegalArgumentException(
                    rows
                            + " rows need "
                            + rows * lookback
                            + " inputs and "
                            + rows * horizon
                            + " outputs");
        }
        decompose(inputs, rows, ws.seasonal, ws.trend);
        project(ws.seasonal, rows, seasonalWeight, seasonalBias, outputs, false);
        project(ws.trend, rows, trendWeight, trendBias, outputs, true);
    }

    /**
     * Forecasts {@code rows} series, compares them with {@code targets} ({@code rows × F}) and adds
     * the gradient of the mean squared error (over all {@code rows × F} values, as PyTorch's {@code
     * MSELoss}) to each tensor's {@code grads}. Allocates nothing.
     *
     * @return the mean squared error of this batch
     */
    public double lossAndGradients(float[] inputs, float[] targets, int rows, Workspace ws) {
        int n = rows * horizon;
        if (targets.length < n) {
            throw new IllegalArgumentException(rows + " rows need " + n + " targets");
        }
        forward(inputs, rows, ws.output, ws);
        float scale = (float) (2.0 / n);
        double loss = 0;
        float[] out = ws.output;
        for (int i = 0; i < n; i++) {
            float e = out[i] - targets[i];
            loss += (double) e * e;
            // dLoss/dOutput overwrites the forecast: it is not needed any more.
            out[i] = scale * e;
        }
        float[] sb = seasonalBias.grads();
        float[] tb = trendBias.grads();
        for (int r = 0; r < rows; r++) {
            int base = r * horizon;
            for (int f = 0; f < horizon; f++) {
                float g = out[base + f];
                sb[f] += g;
                tb[f] += g;
            }
        }
        weightGradient(ws.seasonal, rows, out, seasonalWeight, ws);
        weightGradient(ws.trend, rows, out, trendWeight, ws);
        return loss / n;
    }

    /** {@code out (+)= part·W + b} for one part (seasonal or trend) of {@code rows} series. */
    private void project(
            float[] part,
            int rows,
            TrainableTensor weight,
            TrainableTensor bias,
            float[] out,
            boolean accumulate) {
        Gemm.multiply(
                rows,
                horizon,
                lookback,
                part,
                0,
                lookback,
                weight.values(),
                0,
                horizon,
                out,
                0,
                horizon,
                bias.values(),
                accumulate);
    }

    /**
     * {@code dW += partᵀ·G}. The part is transposed first so that the product is a plain row-major
     * GEMM ({@code L × rows} times {@code rows × F}).
     */
    private void weightGradient(
            float[] part, int rows, float[] outputGrads, TrainableTensor weight, Workspace ws) {
        transpose(part, rows, lookback, ws.transposed);
        Gemm.multiply(
                lookback,
                horizon,
                rows,
                ws.transposed,
                0,
                rows,
                outputGrads,
                0,
                horizon,
                weight.grads(),
                0,
                horizon,
                null,
                true);
    }

    private static void transpose(float[] src, int rows, int cols, float[] dst) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                dst[c * rows + r] = src[r * cols + c];
            }
        }
    }

    private void checkRows(int rows, Workspace ws) {
        if (ws.lookback != lookback || ws.horizon != horizon) {
            throw new IllegalArgumentException("the workspace was made for another DLinear shape");
        }
        if (rows < 0 || rows > ws.maxRows) {
            throw new IllegalArgumentException(
                    rows + " rows do not fit a workspace of " + ws.maxRows);
        }
    }

    /** Per-thread scratch: decomposed inputs, their transpose and the forecast. */
    public static final class Workspace {
        private final int maxRows;
        private final int lookback;
        private final int horizon;
        private final float[] seasonal;
        private final float[] trend;
        private final float[] transposed;
        private final float[] output;

        private Workspace(int maxRows, int lookback, int horizon) {
            if (maxRows < 1) {
                throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
            }
            this.maxRows = maxRows;
            this.lookback = lookback;
            this.horizon = horizon;
            this.seasonal = new float[maxRows * lookback];
            this.trend = new float[maxRows * lookback];
            this.transposed = new float[maxRows * lookback];
            this.output = new float[maxRows * horizon];
        }

        public int maxRows() {
            return maxRows;
        }
    }
}
