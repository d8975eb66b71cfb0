package io.blurstream.bench.jmh;

import io.blurstream.operators.record.Forecast;
import io.blurstream.operators.record.RecordJson;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Writing and reading one forecast record as the job and its consumers do: horizon 96 of 7
 * channels, 672 numbers, the bulk of the job's JSON work per forecast.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1)
public class RecordJsonBenchmark {

    private Forecast forecast;
    private byte[] json;

    @Setup
    public void setUp() {
        forecast = new Forecast();
        forecast.groupId = "transformer-1";
        forecast.issuedForMillis = 1_467_331_200_000L;
        forecast.stepMillis = 3_600_000;
        forecast.horizon = 96;
        forecast.channels = new String[] {"HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT"};
        forecast.values = new float[96 * 7];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < forecast.values.length; i++) {
            forecast.values[i] = (float) (20 * random.nextDouble() - 5);
        }
        forecast.modelId = "ETTh1-blur-96";
        forecast.modelVersion = 1;
        json = RecordJson.toBytes(forecast);
    }

    @Benchmark
    public byte[] writeForecast() {
        return RecordJson.toBytes(forecast);
    }

    @Benchmark
    public Forecast readForecast() throws IOException {
        return RecordJson.fromBytes(json, Forecast.class);
    }
}
