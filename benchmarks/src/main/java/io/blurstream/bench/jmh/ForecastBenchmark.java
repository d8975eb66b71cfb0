package io.blurstream.bench.jmh;

import io.blurstream.bench.KernelBench;
import io.blurstream.model.Forecaster;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Time per call of a BLUR forecast of {@code batch} windows (L=2, 7 channels, horizon 96). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ForecastBenchmark {

    @Param({"96", "336", "720", "4096"})
    int window;

    @Param({"64", "128"})
    int width;

    @Param({"1", "64"})
    int batch;

    private Forecaster forecaster;
    private Forecaster.Workspace workspace;
    private float[] input;
    private float[] output;

    @Setup
    public void setUp() {
        forecaster = new Forecaster(KernelBench.model(window, width));
        workspace = forecaster.newWorkspace(batch);
        input = KernelBench.windows(batch, window, 7);
        output = new float[batch * forecaster.horizon() * forecaster.channels()];
    }

    @Benchmark
    public float[] forecast() {
        forecaster.forecast(input, 0, batch, output, 0, workspace);
        return output;
    }
}
