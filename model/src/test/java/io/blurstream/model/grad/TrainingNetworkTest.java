package io.blurstream.model.grad;

import static org.assertj.core.api.Assertions.assertThat;

import io.blurstream.model.BlurConfig;
import io.blurstream.model.BlurModel;
import io.blurstream.model.BlurParameters;
import io.blurstream.model.ChannelMode;
import io.blurstream.model.Direction;
import io.blurstream.model.ModelInitializer;
import io.blurstream.model.ReferenceBlur;
import io.blurstream.model.Scaler;
import io.blurstream.model.kernel.WorkerPool;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the backward pass of every tensor against central finite differences of the float64
 * reference network ({@link ReferenceBlur}), and the forward pass against the same reference.
 */
class TrainingNetworkTest {

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("BLUR mixing", config(Direction.BIDIRECTIONAL, ChannelMode.MIXING, 3)),
                Arguments.of("LRU mixing", config(Direction.FORWARD, ChannelMode.MIXING, 2)),
                Arguments.of(
                        "BLUR independent",
                        config(Direction.BIDIRECTIONAL, ChannelMode.INDEPENDENT, 3)));
    }

    private static BlurConfig config(Direction direction, ChannelMode mode, int channels) {
        return BlurConfig.builder()
                .window(11)
                .horizon(5)
                .channelCount(channels)
                .channelMode(mode)
                .hidden(6)
                .state(5)
                .layers(2)
                .direction(direction)
                .dropout(0)
                .rMin(0.4)
                .rMax(0.95)
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void forwardMatchesTheFloat64Reference(String name, BlurConfig config) {
        Batch batch = batch(config, 3, 7);
        BlurParameters params = perturbed(config, 11);
        TrainingNetwork network = new TrainingNetwork(config, params);
        float[] out = new float[batch.sequences * config.horizon() * config.outputChannels()];
        network.forward(batch.inputs, batch.sequences, out, network.newScratch(3, 1), null);
        BlurModel model = model(config, params);
        for (int q = 0; q < batch.sequences; q++) {
            double[][] expected = ReferenceBlur.network(model, sequence(config, batch.inputs, q));
            for (int f = 0; f < config.horizon(); f++) {
                for (int c = 0; c < config.outputChannels(); c++) {
                    float actual = out[(q * config.horizon() + f) * config.outputChannels() + c];
                    assertThat((double) actual)
                            .as("sequence %d step %d channel %d", q, f, c)
                            .isCloseTo(
                                    expected[f][c],
                                    org.assertj.core.data.Offset.offset(
                                            1e-4 * (1 + Math.abs(expected[f][c]))));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void everyGradientMatchesFiniteDifferences(String name, BlurConfig config) {
        Batch batch = batch(config, 3, 5);
        BlurParameters params = perturbed(config, 3);
        TrainingNetwork network = new TrainingNetwork(config, params);
        BlurGradients gradients = new BlurGradients(config);
        double normalizer = batch.sequences * config.horizon() * config.outputChannels();
        double loss =
                network.lossAndGradient(
                        batch.inputs,
                        batch.targets,
                        batch.weights,
                        batch.sequences,
                        normalizer,
                        0,
                        false,
                        gradients,
                        network.newScratch(batch.sequences, 1),
                        null);
        BlurModel model = model(config, params);
        assertThat(loss / normalizer)
                .isCloseTo(referenceLoss(model, batch) / normalizer, relative(1e-4));
        SplittableRandom pick = new SplittableRandom(1);
        for (String tensor : params.names()) {
            float[] values = params.get(tensor);
            float[] analytic = gradients.get(tensor);
            int checks = Math.min(values.length, 12);
            double diffSquares = 0;
            double refSquares = 0;
            for (int k = 0; k < checks; k++) {
                int index = values.length <= 12 ? k : pick.nextInt(values.length);
                float original = values[index];
                float step = (float) (1e-4 * Math.max(1, Math.abs(original)));
                values[index] = original + step;
                float up = values[index];
                double lossUp = referenceLoss(model, batch);
                values[index] = original - step;
                float down = values[index];
                double lossDown = referenceLoss(model, batch);
                values[index] = original;
                double numeric = (lossUp - lossDown) / ((double) up - down) / normalizer;
                diffSquares += Math.pow(analytic[index] - numeric, 2);
                refSquares += numeric * numeric + Math.pow(analytic[index], 2);
            }
            double error = Math.sqrt(diffSquares) / Math.max(Math.sqrt(refSquares), 1e-7);
            assertThat(error).as("relative gradient error of %s", tensor).isLessThan(1e-3);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void gradientsDoNotDependOnTheThreadCount(String name, BlurConfig base) {
        // a window of 300 rows puts 5 sequences per slice, so 13 sequences make 3 slices
        BlurConfig config = base.toBuilder().window(300).dropout(0.2).build();
        Batch batch = batch(config, 13, 9);
        BlurParameters params = ModelInitializer.initialize(config, 5);
        TrainingNetwork network = new TrainingNetwork(config, params);
        BlurGradients single = new BlurGradients(config);
        BlurGradients parallel = new BlurGradients(config);
        double lossSingle =
                network.lossAndGradient(
                        batch.inputs,
                        batch.targets,
                        batch.weights,
                        13,
                        1,
                        42,
                        true,
                        single,
                        network.newScratch(13, 1),
                        null);
        double lossParallel;
        try (WorkerPool pool = new WorkerPool(2)) {
            lossParallel =
                    network.lossAndGradient(
                            batch.inputs,
                            batch.targets,
                            batch.weights,
                            13,
                            1,
                            42,
                            true,
                            parallel,
                            network.newScratch(13, 2),
                            pool);
        }
        assertThat(lossParallel).isEqualTo(lossSingle);
        for (String tensor : params.names()) {
            assertThat(parallel.get(tensor)).as(tensor).containsExactly(single.get(tensor));
        }
        assertThat(single.norm()).isPositive();
    }

    /** In a JVM of its own, for the reason {@code ForecasterTest} gives for its forecasts. */
    @org.junit.jupiter.api.Test
    void aSteadyStateStepAllocatesNothing() throws Exception {
        assertThat(io.blurstream.model.ChildJvm.run(TrainingNetworkTest.class))
                .as("bytes allocated by 50 training steps")
                .isEqualTo("0");
    }

    /** Prints what 50 training steps allocate once compiled, for the test above. */
    public static void main(String[] args) {
        BlurConfig config =
                config(Direction.BIDIRECTIONAL, ChannelMode.INDEPENDENT, 2).toBuilder()
                        .dropout(0.1)
                        .build();
        Batch batch = batch(config, 4, 3);
        BlurParameters params = ModelInitializer.initialize(config, 1);
        TrainingNetwork network = new TrainingNetwork(config, params);
        BlurGradients gradients = new BlurGradients(config);
        TrainingNetwork.Scratch scratch = network.newScratch(batch.sequences, 1);
        long[] seed = {0};
        System.out.println(
                io.blurstream.model.SteadyState.allocatedBytes(
                        () -> step(network, batch, gradients, scratch, seed[0]++), 1_000, 50));
    }

    private static void step(
            TrainingNetwork network,
            Batch batch,
            BlurGradients gradients,
            TrainingNetwork.Scratch scratch,
            long seed) {
        network.lossAndGradient(
                batch.inputs,
                batch.targets,
                batch.weights,
                batch.sequences,
                1,
                seed,
                true,
                gradients,
                scratch,
                null);
        network.prepare();
    }

    private static org.assertj.core.data.Percentage relative(double fraction) {
        return org.assertj.core.data.Percentage.withPercentage(fraction * 100);
    }

    /** Initial weights with every tensor moved off its initial value (norms start at 1 and 0). */
    private static BlurParameters perturbed(BlurConfig config, long seed) {
        BlurParameters params = ModelInitializer.initialize(config, seed);
        SplittableRandom random = new SplittableRandom(seed + 100);
        for (String name : params.names()) {
            float[] values = params.get(name);
            for (int i = 0; i < values.length; i++) {
                values[i] += (float) (0.2 * (random.nextDouble() - 0.5));
            }
        }
        return params;
    }

    private static BlurModel model(BlurConfig config, BlurParameters params) {
        return new BlurModel(
                "grad-check",
                1,
                Instant.EPOCH,
                config,
                Scaler.identity(config.channelCount()),
                Map.of(),
                params);
    }

    private record Batch(int sequences, float[] inputs, float[] targets, float[] weights) {}

    private static Batch batch(BlurConfig config, int sequences, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] inputs = new float[sequences * config.window() * config.inputChannels()];
        float[] targets = new float[sequences * config.horizon() * config.outputChannels()];
        float[] weights = new float[sequences * config.outputChannels()];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = (float) (2 * random.nextDouble() - 1);
        }
        for (int i = 0; i < targets.length; i++) {
            targets[i] = (float) (2 * random.nextDouble() - 1);
        }
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (0.5 + random.nextDouble());
        }
        return new Batch(sequences, inputs, targets, weights);
    }

    private static double[][] sequence(BlurConfig config, float[] inputs, int q) {
        int w = config.window();
        int c = config.inputChannels();
        double[][] x = new double[w][c];
        for (int t = 0; t < w; t++) {
            for (int j = 0; j < c; j++) {
                x[t][j] = inputs[(q * w + t) * c + j];
            }
        }
        return x;
    }

    private static double referenceLoss(BlurModel model, Batch batch) {
        BlurConfig config = model.config();
        int f = config.horizon();
        int c = config.outputChannels();
        double loss = 0;
        for (int q = 0; q < batch.sequences; q++) {
            double[][] out = ReferenceBlur.network(model, sequence(config, batch.inputs, q));
            for (int k = 0; k < f; k++) {
                for (int j = 0; j < c; j++) {
                    double err = out[k][j] - batch.targets[(q * f + k) * c + j];
                    loss += batch.weights[q * c + j] * err * err;
                }
            }
        }
        return loss;
    }
}
