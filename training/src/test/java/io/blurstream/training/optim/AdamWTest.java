package io.blurstream.training.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.blurstream.model.BlurConfig;
import io.blurstream.model.BlurParameters;
import io.blurstream.model.ModelInitializer;
import io.blurstream.model.ParameterGroup;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdamWTest {

    private static TrainableTensor scalar(String name, ParameterGroup group, float value) {
        return new TrainableTensor(name, new int[] {1, 1}, group, new float[] {value});
    }

    /**
     * lr 0.1, β = (0.9, 0.999), ε = 1e-8, p = 1, gradients 0.5 then -0.25.
     *
     * <pre>
     * t=1: m = 0.05, v = 0.00025; m̂ = 0.05 / 0.1 = 0.5, √v̂ = √(0.00025 / 0.001) = 0.5
     *      p = 1 − 0.1 · 0.5 / (0.5 + 1e-8) = 0.900000002
     * t=2: m = 0.9·0.05 − 0.1·0.25 = 0.02, v = 0.999·0.00025 + 0.001·0.0625 = 0.00031225
     *      m̂ = 0.02 / 0.19 = 0.1052632, √v̂ = √(0.00031225 / 0.001999) = 0.3952249
     *      p = 0.900000002 − 0.1 · 0.1052632 / 0.3952249 = 0.8733663
     * </pre>
     */
    @Test
    void twoStepsMatchTheHandComputedAdamUpdate() {
        TrainableTensor p = scalar("w", ParameterGroup.DENSE, 1f);
        AdamW adam = AdamW.builder().noWeightDecay().build(List.of(p));
        p.grads()[0] = 0.5f;
        adam.step(0.1);
        assertThat(p.values()[0]).isCloseTo(0.900000002f, within(1e-7f));
        p.grads()[0] = -0.25f;
        adam.step(0.1);
        assertThat(p.values()[0]).isCloseTo(0.8733663f, within(1e-6f));
        assertThat(adam.steps()).isEqualTo(2);
        AdamW.State state = adam.exportState();
        assertThat(state.firstMoments().get("w")[0]).isCloseTo(0.02f, within(1e-8f));
        assertThat(state.secondMoments().get("w")[0]).isCloseTo(0.00031225f, within(1e-10f));
    }

    @Test
    void weightDecayIsDecoupledFromTheGradient() {
        // Without a gradient Adam's step is zero, so only the decay acts: p ← p · (1 − lr·wd).
        TrainableTensor still = scalar("still", ParameterGroup.DENSE, 2f);
        AdamW decaying =
                AdamW.builder().group(ParameterGroup.DENSE, 1.0, 0.1).build(List.of(still));
        for (int i = 0; i < 10; i++) {
            decaying.step(0.01);
        }
        assertThat(still.values()[0])
                .isCloseTo((float) (2 * Math.pow(1 - 0.001, 10)), within(1e-6f));

        // With a gradient, AdamW = Adam's step on the decayed value: the decay term is not fed
        // through the moments (coupled L2 would add wd·p to g and be rescaled by Adam).
        TrainableTensor withDecay = scalar("a", ParameterGroup.DENSE, 3f);
        TrainableTensor without = scalar("a", ParameterGroup.DENSE, 3f);
        AdamW adamW =
                AdamW.builder().group(ParameterGroup.DENSE, 1.0, 0.5).build(List.of(withDecay));
        AdamW adam = AdamW.builder().noWeightDecay().build(List.of(without));
        withDecay.grads()[0] = 0.7f;
        without.grads()[0] = 0.7f;
        adamW.step(0.01);
        adam.step(0.01);
        assertThat(withDecay.values()[0])
                .isCloseTo(without.values()[0] - 0.01f * 0.5f * 3f, within(1e-6f));
    }

    @Test
    void vectorsAndTheRecurrentGroupDoNotDecayByDefault() {
        TrainableTensor matrix = TrainableTensor.zeros("W", ParameterGroup.DENSE, 2, 2);
        TrainableTensor bias = TrainableTensor.zeros("b", ParameterGroup.DENSE, 2);
        TrainableTensor lambda = TrainableTensor.zeros("B_re", ParameterGroup.RECURRENT, 2, 2);
        AdamW adam = AdamW.builder().build(List.of(matrix, bias, lambda));
        assertThat(adam.decayOf(matrix)).isEqualTo(0.01);
        assertThat(adam.decayOf(bias)).isZero();
        assertThat(adam.decayOf(lambda)).isZero();
        assertThat(adam.settings(ParameterGroup.RECURRENT).learningRateMultiplier()).isEqualTo(0.5);
        AdamW all = AdamW.builder().decayVectors(true).build(List.of(matrix, bias));
        assertThat(all.decayOf(bias)).isEqualTo(0.01);
    }

    @Test
    void groupMultiplierScalesTheStep() {
        TrainableTensor dense = scalar("d", ParameterGroup.DENSE, 0f);
        TrainableTensor recurrent = scalar("r", ParameterGroup.RECURRENT, 0f);
        AdamW adam =
                AdamW.builder()
                        .noWeightDecay()
                        .group(ParameterGroup.RECURRENT, 0.25, 0)
                        .build(List.of(dense, recurrent));
        dense.grads()[0] = 1f;
        recurrent.grads()[0] = 1f;
        adam.step(0.1);
        // Adam's first step is lr · sign(g) up to ε.
        assertThat(dense.values()[0]).isCloseTo(-0.1f, within(1e-6f));
        assertThat(recurrent.values()[0]).isCloseTo(-0.025f, within(1e-6f));
    }

    /** Full-batch linear regression y = X·w + b on noise-free data recovers w and b. */
    @Test
    void minimisesALinearRegression() {
        int n = 200;
        int d = 5;
        Random random = new Random(3);
        float[] x = new float[n * d];
        float[] y = new float[n];
        double[] trueW = {1.5, -2, 0.5, 3, -0.25};
        double trueB = 0.75;
        for (int i = 0; i < n; i++) {
            double sum = trueB;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) random.nextGaussian();
                sum += trueW[j] * x[i * d + j];
            }
            y[i] = (float) sum;
        }
        TrainableTensor w = TrainableTensor.zeros("w", ParameterGroup.DENSE, d, 1);
        TrainableTensor b = TrainableTensor.zeros("b", ParameterGroup.DENSE, 1);
        List<TrainableTensor> tensors = List.of(w, b);
        AdamW adam = AdamW.builder().noWeightDecay().build(tensors);
        LearningRateSchedule schedule = LearningRateSchedule.warmupCosine(0.1, 20, 600, 0.001);
        for (int step = 0; step < 600; step++) {
            TrainableTensor.zeroGrads(tensors);
            for (int i = 0; i < n; i++) {
                double prediction = b.values()[0];
                for (int j = 0; j < d; j++) {
                    prediction += w.values()[j] * x[i * d + j];
                }
                float residual = (float) (2 * (prediction - y[i]) / n);
                for (int j = 0; j < d; j++) {
                    w.grads()[j] += residual * x[i * d + j];
                }
                b.grads()[0] += residual;
            }
            adam.step(schedule.rate(step));
        }
        for (int j = 0; j < d; j++) {
            assertThat((double) w.values()[j]).isCloseTo(trueW[j], within(1e-3));
        }
        assertThat((double) b.values()[0]).isCloseTo(trueB, within(1e-3));
    }

    @Test
    void exportedStateResumesBitForBit() {
        Random random = new Random(11);
        TrainableTensor a = TrainableTensor.zeros("a", ParameterGroup.DENSE, 3, 4);
        TrainableTensor b = TrainableTensor.zeros("b", ParameterGroup.RECURRENT, 5);
        AdamW original = AdamW.builder().build(List.of(a, b));
        for (int step = 0; step < 3; step++) {
            fillRandom(random, a.grads());
            fillRandom(random, b.grads());
            original.step(0.01);
        }
        TrainableTensor a2 = new TrainableTensor("a", a.shape(), a.group(), a.values().clone());
        TrainableTensor b2 = new TrainableTensor("b", b.shape(), b.group(), b.values().clone());
        AdamW resumed = AdamW.builder().build(List.of(a2, b2));
        resumed.importState(original.exportState());
        assertThat(resumed.steps()).isEqualTo(3);

        fillRandom(random, a.grads());
        fillRandom(random, b.grads());
        System.arraycopy(a.grads(), 0, a2.grads(), 0, a.size());
        System.arraycopy(b.grads(), 0, b2.grads(), 0, b.size());
        original.step(0.01);
        resumed.step(0.01);
        assertThat(a2.values()).isEqualTo(a.values());
        assertThat(b2.values()).isEqualTo(b.values());
    }

    @Test
    void importRejectsIncompleteOrForeignState() {
        TrainableTensor a = TrainableTensor.zeros("a", ParameterGroup.DENSE, 2);
        AdamW adam = AdamW.builder().build(List.of(a));
        Map<String, float[]> good = Map.of("a", new float[2]);
        assertThatThrownBy(() -> adam.importState(new AdamW.State(1, Map.of(), good)))
                .hasMessage("state.firstMoments has no entry for 'a'");
        assertThatThrownBy(
                        () -> adam.importState(new AdamW.State(1, good, Map.of("a", new float[3]))))
                .hasMessage("state.secondMoments['a'] has 3 values, the tensor 2");
        Map<String, float[]> extra = new HashMap<>(good);
        extra.put("z", new float[1]);
        assertThatThrownBy(() -> adam.importState(new AdamW.State(1, good, extra)))
                .hasMessage("state has moments for 'z', which this optimiser does not train");
    }

    @Test
    void builderFailsFast() {
        assertThatThrownBy(() -> AdamW.builder().beta1(1.0)).hasMessageContaining("beta1");
        assertThatThrownBy(() -> AdamW.builder().epsilon(0)).hasMessageContaining("epsilon");
        assertThatThrownBy(() -> AdamW.builder().group(ParameterGroup.DENSE, 0, 0))
                .hasMessageContaining("multiplier");
        TrainableTensor a = TrainableTensor.zeros("a", ParameterGroup.DENSE, 2);
        assertThatThrownBy(() -> AdamW.builder().build(List.of(a, a)))
                .hasMessage("two tensors are named 'a'");
        assertThatThrownBy(() -> AdamW.builder().build(List.of(a)).step(Double.NaN))
                .hasMessageContaining("learning rate");
    }

    @Test
    void wrapsTheLiveTensorsOfABlurModel() {
        BlurConfig config =
                BlurConfig.builder()
                        .window(8)
                        .horizon(4)
                        .channelCount(2)
                        .hidden(4)
                        .state(4)
                        .layers(1)
                        .build();
        BlurParameters parameters = ModelInitializer.initialize(config, 1);
        List<TrainableTensor> tensors = TrainableTensor.of(parameters);
        assertThat(tensors).extracting(TrainableTensor::name).isEqualTo(parameters.names());
        TrainableTensor nu =
                tensors.stream().filter(t -> t.name().endsWith("forward.nu")).findFirst().get();
        assertThat(nu.group()).isEqualTo(ParameterGroup.RECURRENT);
        assertThat(nu.values()).isSameAs(parameters.get(nu.name()));
        assertThatThrownBy(
                        () ->
                                new TrainableTensor(
                                        "x", new int[] {2, 3}, ParameterGroup.DENSE, new float[5]))
                .hasMessage("tensor 'x' of shape [2, 3] needs 6 values, got 5");
    }

    private static void fillRandom(Random random, float[] array) {
        for (int i = 0; i < array.length; i++) {
            array[i] = (float) random.nextGaussian();
        }
    }
}
