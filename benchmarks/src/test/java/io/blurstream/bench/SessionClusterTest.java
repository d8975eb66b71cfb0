package io.blurstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

/** The benchmark's session cluster runs jobs one after another, each over all its input. */
class SessionClusterTest {

    @Test
    void runsOneJobAfterAnotherOnTheSameCluster() throws Exception {
        try (SessionCluster cluster = SessionCluster.start(2, new Configuration())) {
            for (long n : List.of(1_000L, 2_000L)) {
                StreamExecutionEnvironment env =
                        StreamExecutionEnvironment.createLocalEnvironment(2);
                env.fromSequence(1, n).map(new Counting()).sinkTo(new DiscardingSink<>());
                JobClient job = cluster.submit(env, "count " + n);
                JobExecutionResult result = job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
                assertThat(result.<Long>getAccumulatorResult("seen")).isEqualTo(n);
                assertThat(result.getJobID()).isEqualTo(job.getJobID());
            }
        }
    }

    /** Counts the records it sees in an accumulator. */
    static final class Counting extends RichMapFunction<Long, Long> {
        private final LongCounter seen = new LongCounter();

        @Override
        public void open(OpenContext openContext) {
            getRuntimeContext().addAccumulator("seen", seen);
        }

        @Override
        public Long map(Long value) {
            seen.add(1L);
            return value;
        }
    }
}
