package io.blurstream.bench.jmh;

import io.blurstream.operators.evaluate.PendingForecastSerializer;
import io.blurstream.operators.record.Forecast;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.MapSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
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

/**
 * What a checkpoint costs of one group's pending forecasts in online evaluation (96 forecasts of
 * horizon 96 × 7 channels, as in the pipeline benchmark): the copy the heap backend makes at the
 * group's first access while an asynchronous snapshot runs, and writing the snapshot; with the POJO
 * serializer the state used before, and with {@link PendingForecastSerializer}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1)
public class PendingStateBenchmark {

    @Param({"pojo", "pending"})
    public String serializer;

    private MapSerializer<String, Forecast> state;
    private Map<String, Forecast> pending;
    private DataOutputSerializer out;

    @Setup
    public void setUp() {
        TypeSerializer<Forecast> values =
                serializer.equals("pojo")
                        ? TypeInformation.of(Forecast.class)
                                .createSerializer(new SerializerConfigImpl())
                        : new PendingForecastSerializer();
        state = new MapSerializer<>(StringSerializer.INSTANCE, values);
        pending = new HashMap<>();
        SplittableRandom random = new SplittableRandom(1);
        for (int t = 0; t < 96; t++) {
            Forecast f = new Forecast();
            f.groupId = "g17";
            f.issuedForMillis = 1_767_225_600_000L + t * 60_000L;
            f.stepMillis = 60_000;
            f.horizon = 96;
            f.channels = new String[] {"c0", "c1", "c2", "c3", "c4", "c5", "c6"};
            f.values = new float[96 * 7];
            for (int i = 0; i < f.values.length; i++) {
                f.values[i] = (float) (20 * random.nextDouble() - 5);
            }
            f.modelId = "bench";
            f.modelVersion = 1;
            pending.put(f.issuedForMillis + "/bench/1", f);
        }
        out = new DataOutputSerializer(1 << 20);
    }

    @Benchmark
    public Map<String, Forecast> copyOnWrite() {
        return state.copy(pending);
    }

    @Benchmark
    public int snapshot() throws IOException {
        out.clear();
        state.serialize(pending, out);
        return out.length();
    }
}
