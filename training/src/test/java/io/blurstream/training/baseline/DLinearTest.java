package io.blurstream.training.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.blurstream.training.optim.TrainableTensor;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DLinear against a slow float64 twin written straight from the paper's definition. */
class DLinearTest {

    /** The moving average as the reference computes it: pad by repetition, then average. */
    static double[] referenceTrend(float[] x, int off, int lookback, int kernel) {
        int half = (kernel - 1) / 2;
        double[] padded = new double[lookback + 2 * half];
        for (int i = 0; i < padded.length; i++) {
            int source = Math.min(Math.max(i - half, 0), lookback - 1);
            padded[i] = x[off + source];
        }
        double[] trend = new double[lookback];
        for (int t = 0; t < lookback; t++) {
            double sum = 0;
            for (int j = 0; j < kernel; j++) {
                sum += padded[t + j];
            }
            trend[t] = sum / kernel;
        }
        return trend;
    }

    /** forecast[r][f] in float64 from the model's current weights. */
    static double[] referenceForward(DLinear model, float[] inputs, int rows) {
        int l = model.lookback();
        int h = model.horizon();
        List<TrainableTensor> t = model.tensors();
        float[] ws = t.get(0).values();
        float[] bs = t.get(1).values();
        float[] wt = t.get(2).values();
        float[] bt = t.get(3).values();
        double[] out = new double[rows * h];
        for (int r = 0; r < rows; r++) {
            double[] trend = referenceTrend(inputs, r * l, l, model.kernel());
            for (int f = 0; f < h; f++) {
                double y = bs[f] + bt[f];
                for (int i = 0; i < l; i++) {
                    double seasonal = inputs[r * l + i] - trend[i];
                    y += seasonal * ws[i * h + f] + trend[i] * wt[i * h + f];
                }
                out[r * h + f] = y;
            }
        }
        return out;
    }

    static double referenceLoss(DLinear model, float[] inputs, float[] targets, int rows) {
        double[] out = referenceForward(model, inputs, rows);
        double sum = 0;
        for (int i = 0; i < out.length; i++) {
            sum += (out[i] - targets[i]) * (out[i] - targets[i]);
        }
        return sum / out.length;
    }

    private static DLinear randomModel(int lookback, int horizon, int kernel, Random random) {
        DLinear model = DLinear.zeros(lookback, horizon, kernel);
        for (TrainableTensor tensor : model.tensors()) {
            fill(tensor.values(), random, 0.3);
        }
        return model;
    }

    private static void fill(float[] a, Random random, double scale) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (scale * random.nextGaussian());
        }
    }

    @ParameterizedTest(name = "L={0} F={1} kernel={2} rows={3}")
    @CsvSource({
        "96, 96, 25, 7",
        "1, 1, 25, 1",
        "5, 3, 1, 4",
        "13, 17, 25, 3",
        "24, 5, 7, 33",
        "30, 1, 3, 2"
    })
    void forwardMatchesTheReference(int lookback, int horizon, int kernel, int rows) {
        Random random = new Random(lookback * 31L + horizon * 7L + kernel);
        DLinear model = randomModel(lookback, horizon, kernel, random);
        float[] inputs = new float[rows * lookback];
        fill(inputs, random, 2);
        float[] out = new float[rows * horizon];
        model.forward(inputs, rows, out, model.newWorkspace(rows + 3));
        double[] expected = referenceForward(model, inputs, rows);
        for (int i = 0; i < out.length; i++) {
            assertThat((double) out[i])
                    .isCloseTo(expected[i], within(1e-4 * (1 + Math.abs(expected[i]))));
        }
    }

    @Test
    void decompositionRepeatsTheEdgeValues() {
        // kernel 5 (two each side) on [0, 10, 20, 30]: padded 0 0 | 0 10 20 30 | 30 30.
        DLinear model = DLinear.zeros(4, 1, 5);
        float[] x = {0, 10, 20, 30};
        float[] seasonal = new float[4];
        float[] trend = new float[4];
        model.decompose(x, 1, seasonal, trend);
        assertThat(trend).containsExactly(6f, 12f, 18f, 24f);
        assertThat(seasonal).containsExactly(-6f, -2f, 2f, 6f);
    }

    @ParameterizedTest(name = "L={0} F={1} kernel={2} rows={3}")
    @CsvSource({"12, 6, 5, 9", "1, 2, 3, 2", "30, 4, 25, 5"})
    void gradientsMatchFiniteDifferencesOfTheReferenceLoss(
            int lookback, int horizon, int kernel, int rows) {
        Random random = new Random(17 + lookback);
        DLinear model = randomModel(lookback, horizon, kernel, random);
        float[] inputs = new float[rows * lookback];
        float[] targets = new float[rows * horizon];
        fill(inputs, random, 1);
        fill(targets, random, 1);
        TrainableTensor.zeroGrads(model.tensors());
        double loss = model.lossAndGradients(inputs, targets, rows, model.newWorkspace(rows));
        assertThat(loss).isCloseTo(referenceLoss(model, inputs, targets, rows), within(1e-5));
        // The loss is quadratic in the weights, so a central difference is exact but for
        // rounding; a step of 1e-2 keeps float rounding of the weights small against it.
        float h = 1e-2f;
        for (TrainableTensor tensor : model.tensors()) {
            float[] w = tensor.values();
            for (int i = 0; i < w.length; i++) {
                float saved = w[i];
                w[i] = saved + h;
                double up = referenceLoss(model, inputs, targets, rows);
                w[i] = saved - h;
                double down = referenceLoss(model, inputs, targets, rows);
                w[i] = saved;
                double numeric = (up - down) / ((double) (saved + h) - (double) (saved - h));
                assertThat((double) tensor.grads()[i])
                        .as("%s[%d]", tensor.name(), i)
                        .isCloseTo(numeric, within(1e-4 + 1e-3 * Math.abs(numeric)));
            }
        }
    }

    @Test
    void gradientsAccumulateAcrossCalls() {
        Random random = new Random(2);
        DLinear model = randomModel(8, 4, 3, random);
        float[] inputs = new float[3 * 8];
        float[] targets = new float[3 * 4];
        fill(inputs, random, 1);
        fill(targets, random, 1);
        DLinear.Workspace ws = model.newWorkspace(3);
        TrainableTensor.zeroGrads(model.tensors());
        model.lossAndGradients(inputs, targets, 3, ws);
        float[] once = model.tensors().get(0).grads().clone();
        model.lossAndGradients(inputs, targets, 3, ws);
        float[] twice = model.tensors().get(0).grads();
        for (int i = 0; i < once.length; i++) {
            assertThat(twice[i]).isCloseTo(2 * once[i], within(1e-6f));
        }
    }

    @Test
    void initialisesLikeTheReference() {
        DLinear model = DLinear.initialize(96, 24, 25, new SplittableRandom(1));
        assertThat(model.tensors().get(0).values()).containsOnly(1f / 96);
        assertThat(model.tensors().get(2).values()).containsOnly(1f / 96);
        float bound = (float) (1 / Math.sqrt(96));
        for (float b : model.tensors().get(1).values()) {
            assertThat(b).isBetween(-bound, bound);
        }
        assertThat(model.tensors().get(1).values()).isNotEqualTo(model.tensors().get(3).values());
        assertThat(model.tensors())
                .extracting(TrainableTensor::name)
                .containsExactly("seasonal.weight", "seasonal.bias", "trend.weight", "trend.bias");
    }

    @Test
    void rejectsBadShapes() {
        assertThatThrownBy(() -> DLinear.zeros(8, 4, 4)).hasMessageContaining("must be odd");
        DLinear model = DLinear.zeros(8, 4, 3);
        assertThatThrownBy(
                        () -> model.forward(new float[16], 2, new float[8], model.newWorkspace(1)))
                .hasMessage("2 rows do not fit a workspace of 1");
        assertThatThrownBy(
                        () ->
                                model.forward(
                                        new float[16],
                                        2,
                                        new float[8],
                                        DLinear.zeros(8, 5, 3).newWorkspace(2)))
                .hasMessageContaining("another DLinear shape");
    }
}
