package io.blurstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blurstream.model.kernel.WorkerPool;
import java.time.Instant;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ForecasterTest {

    /**
     * Float32 kernels against the float64 twin: relative to the largest forecast magnitude. The
     * network's worst case is a few thousand float roundings in a GEMM reduction and a recurrence
     * with |λ| close to 1; 1e-4 leaves a margin of ~10x over what these shapes show.
     */
    private static final double TOLERANCE = 1e-4;

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("mixing bidirectional", config(24, 12, 3, 16, 8, 2)),
                Arguments.of(
                        "independent revin",
                        config(24, 12, 3, 16, 8, 2).toBuilder()
                                .channelMode(ChannelMode.INDEPENDENT)
                                .revin(true)
                                .build()),
                Arguments.of(
                        "forward-only LRU",
                        config(24, 12, 3, 16, 8, 2).toBuilder()
                                .direction(Direction.FORWARD)
                                .build()),
                Arguments.of("W=1", config(1, 3, 2, 16, 16, 1)),
                Arguments.of("odd sizes", config(37, 5, 5, 20, 19, 3)),
                Arguments.of("vector-wide", config(96, 24, 7, 64, 64, 2)),
                Arguments.of(
                        "long window (chunked core), revin",
                        config(600, 8, 2, 32, 24, 1).toBuilder().revin(true).build()));
    }

    static BlurConfig config(int w, int f, int c, int h, int n, int layers) {
        return BlurConfig.builder()
                .window(w)
                .horizon(f)
                .channelCount(c)
                .hidden(h)
                .state(n)
                .layers(layers)
                .rMin(0.4)
                .rMax(0.99)
                .build();
    }

    static BlurModel model(BlurConfig config, long seed) {
        Random random = new Random(seed);
        double[] mean = new double[config.channelCount()];
        double[] std = new double[config.channelCount()];
        for (int c = 0; c < mean.length; c++) {
            mean[c] = random.nextGaussian() * 10;
            std[c] = 0.5 + random.nextDouble() * 3;
        }
        return new BlurModel(
                "test",
                1,
                Instant.parse("2026-11-22T00:00:00Z"),
                config,
                new Scaler(mean, std),
                null,
                ModelInitializer.initialize(config, seed));
    }

    static float[] windows(BlurModel model, int count, long seed) {
        BlurConfig config = model.config();
        Random random = new Random(seed);
        float[] data = new float[count * config.window() * config.channelCount()];
        for (int i = 0; i < data.length; i++) {
            int c = i % config.channelCount();
            data[i] =
                    (float)
                            (model.scaler().mean(c)
                                    + model.scaler().std(c) * random.nextGaussian());
        }
        return data;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void matchesFloat64Reference(String name, BlurConfig config) {
        BlurModel model = model(config, 7);
        Forecaster forecaster = new Forecaster(model);
        int count = 3;
        float[] input = windows(model, count, 11);
        int size = config.horizon() * config.channelCount();
        float[] output = new float[count * size];
        forecaster.forecast(input, 0, count, output, 0, forecaster.newWorkspace(count));

        for (int b = 0; b < count; b++) {
            double[] expected =
                    ReferenceBlur.forecast(
                            model, input, b * config.window() * config.channelCount());
            double scale = 0;
            for (double v : expected) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < size; i++) {
                assertThat((double) output[b * size + i])
                        .as("window %d value %d", b, i)
                        .isCloseTo(
                                expected[i],
                                org.assertj.core.data.Offset.offset(TOLERANCE * scale));
            }
        }
    }

    // bit-for-bit: runs on the scalar kernels (the determinism execution in the parent pom)
    @org.junit.jupiter.api.Tag("determinism")
    @Test
    void batchEqualsOneByOneBitForBit() {
        BlurModel model = model(config(50, 10, 4, 32, 16, 2), 3);
        Forecaster forecaster = new Forecaster(model);
        int count = 9;
        float[] input = windows(model, count, 5);
        int size = 10 * 4;
        float[] batch = new float[count * size];
        forecaster.forecast(input, 0, count, batch, 0, forecaster.newWorkspace(count));
        Forecaster.Workspace single = forecaster.newWorkspace(1);
        float[] one = new float[size];
        for (int b = 0; b < count; b++) {
            forecaster.forecast(input, b * 50 * 4, one, 0, single);
            for (int i = 0; i < size; i++) {
                assertThat(one[i]).as("window %d value %d", b, i).isEqualTo(batch[b * size + i]);
            }
        }
    }

    // bit-for-bit: runs on the scalar kernels (the determinism execution in the parent pom)
    @org.junit.jupiter.api.Tag("determinism")
    @Test
    void poolSplitsBatchesIntoGroupsWithIdenticalResults() {
        BlurModel model = model(config(40, 8, 3, 32, 16, 2), 12);
        Forecaster forecaster = new Forecaster(model);
        int count = 13;
        float[] input = windows(model, count, 2);
        float[] sequential = new float[count * 24];
        float[] parallel = new float[count * 24];
        forecaster.forecast(input, 0, count, sequential, 0, forecaster.newWorkspace(count));
        try (WorkerPool pool = new WorkerPool(3)) {
            Forecaster.Workspace ws = forecaster.newWorkspace(count, pool);
            forecaster.forecast(input, 0, count, parallel, 0, ws);
        }
        assertThat(parallel).containsExactly(sequential);
    }

    @ParameterizedTest(name = "W={0}, threads={1}")
    @org.junit.jupiter.params.provider.CsvSource({"70, 3", "96, 2", "300, 2", "1000, 3", "8192, 2"})
    void longWindowSplitInTimeMatchesSequential(int window, int threads) {
        BlurModel model = model(config(window, 6, 2, 32, 24, 2), 21);
        Forecaster forecaster = new Forecaster(model);
        float[] input = windows(model, 2, 8);
        float[] sequential = new float[2 * 12];
        float[] parallel = new float[2 * 12];
        forecaster.forecast(input, 0, 2, sequential, 0, forecaster.newWorkspace(2));
        try (WorkerPool pool = new WorkerPool(threads)) {
            forecaster.forecast(input, 0, 2, parallel, 0, forecaster.newWorkspace(2, pool));
        }
        double scale = 0;
        for (float v : sequential) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < sequential.length; i++) {
            assertThat((double) parallel[i])
                    .as("value %d", i)
                    .isCloseTo(
                            sequential[i], org.assertj.core.data.Offset.offset(TOLERANCE * scale));
        }
        if (window <= 1000) {
            double[] expected = ReferenceBlur.forecast(model, input, 0);
            for (int i = 0; i < 12; i++) {
                assertThat((double) parallel[i])
                        .isCloseTo(
                                expected[i],
                                org.assertj.core.data.Offset.offset(TOLERANCE * scale));
            }
        }
    }

    // bit-for-bit: runs on the scalar kernels (the determinism execution in the parent pom)
    @org.junit.jupiter.api.Tag("determinism")
    @Test
    void slicesBatchesLargerThanTheWorkspace() {
        BlurModel model = model(config(20, 6, 3, 16, 16, 1), 9);
        Forecaster forecaster = new Forecaster(model);
        float[] input = windows(model, 7, 1);
        float[] whole = new float[7 * 18];
        float[] sliced = new float[7 * 18];
        forecaster.forecast(input, 0, 7, whole, 0, forecaster.newWorkspace(7));
        forecaster.forecast(input, 0, 7, sliced, 0, forecaster.newWorkspace(3));
        assertThat(sliced).containsExactly(whole);
    }

    @Test
    void constantChannelUnderRevinStaysFinite() {
        BlurModel model = model(config(32, 8, 2, 16, 16, 2).toBuilder().revin(true).build(), 4);
        Forecaster forecaster = new Forecaster(model);
        float[] input = new float[32 * 2];
        java.util.Arrays.fill(input, 3.5f);
        float[] output = new float[8 * 2];
        forecaster.forecast(input, 0, output, 0, forecaster.newWorkspace(1));
        double[] expected = ReferenceBlur.forecast(model, input, 0);
        for (int i = 0; i < output.length; i++) {
            assertThat(output[i]).isFinite();
            assertThat((double) output[i])
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-3));
        }
    }

    @Test
    void rejectsBuffersThatAreTooSmall() {
        BlurModel model = model(config(20, 6, 3, 16, 16, 1), 9);
        Forecaster forecaster = new Forecaster(model);
        Forecaster.Workspace ws = forecaster.newWorkspace(2);
        assertThatThrownBy(() -> forecaster.forecast(new float[59], 0, new float[18], 0, ws))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overrun the input");
        assertThatThrownBy(() -> forecaster.forecast(new float[60], 0, new float[17], 0, ws))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overrun the output");
    }

    /**
     * In a JVM of its own, as a job serving one model runs. In the tests' shared JVM the kernels
     * arrive with the profiles of every test before, and one CI run still measured 3.7 MB a
     * forecast after the minute {@link SteadyState} allows: the kernels still ran code that boxed
     * vectors.
     */
    @Test
    void steadyStateForecastAllocatesNothing() throws Exception {
        assertThat(ChildJvm.run(ForecasterTest.class))
                .as("bytes allocated by 100 forecasts")
                .isEqualTo("0");
    }

    /**
     * Prints what 100 forecasts allocate once compiled, for {@link
     * #steadyStateForecastAllocatesNothing}.
     */
    public static void main(String[] args) {
        BlurModel model = model(config(48, 12, 3, 32, 32, 2), 2);
        Forecaster forecaster = new Forecaster(model);
        Forecaster.Workspace ws = forecaster.newWorkspace(4);
        float[] input = windows(model, 4, 3);
        float[] output = new float[4 * 36];
        System.out.println(
                SteadyState.allocatedBytes(
                        () -> forecaster.forecast(input, 0, 4, output, 0, ws), 2_000, 100));
    }
}
