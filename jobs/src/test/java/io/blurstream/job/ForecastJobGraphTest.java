package io.blurstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** The job's graph as built from its options, without running it. */
class ForecastJobGraphTest {

    static List<String> uids(Configuration options) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ForecastJob.fromConfiguration(options, false).addTo(env);
        StreamGraph graph = env.getStreamGraph();
        return graph.getStreamNodes().stream()
                .map(StreamNode::getTransformationUID)
                .filter(uid -> uid != null)
                .toList();
    }

    /** The names of the job's tasks: the operators of each chain, joined. */
    static List<String> taskNames(Configuration options) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ForecastJob.fromConfiguration(options, false).addTo(env);
        return StreamSupport.stream(
                        env.getStreamGraph().getJobGraph().getVertices().spliterator(), false)
                .map(JobVertex::getName)
                .toList();
    }

    static Configuration options() {
        Configuration options = new Configuration();
        options.set(ForecastJobOptions.BOOTSTRAP_SERVERS, "localhost:9092");
        options.set(ForecastJobOptions.CATALOG, "classpath:catalogs/etth1.yaml");
        options.set(ForecastJobOptions.MODEL_KEY_FILE, ForecastJobTestBase.modelKey().toString());
        return options;
    }

    @Test
    void everyStatefulOperatorHasItsFixedUid() {
        assertThat(uids(options()))
                .contains(
                        ForecastJob.UID_READINGS,
                        ForecastJob.UID_ALIGN,
                        ForecastJob.UID_WINDOWS,
                        ForecastJob.UID_MODELS,
                        ForecastJob.UID_MODEL_ASSEMBLY,
                        ForecastJob.UID_INFERENCE,
                        ForecastJob.UID_EVALUATION,
                        ForecastJob.UID_FORECAST_SINK,
                        ForecastJob.UID_EVALUATION_SINK);
    }

    @Test
    void withoutOnlineEvaluationTheJobHasNoEvaluationOperatorOrSink() {
        Configuration options = options();
        options.set(ForecastJobOptions.EVALUATION_ENABLED, false);
        assertThat(uids(options))
                .contains(ForecastJob.UID_INFERENCE, ForecastJob.UID_FORECAST_SINK)
                .doesNotContain(ForecastJob.UID_EVALUATION, ForecastJob.UID_EVALUATION_SINK);
    }

    /**
     * The forecast sink runs in a task of its own, so the transaction round trips at checkpoints do
     * not hold up inference; but its committer stays chained to its writer, which is what lets the
     * committer commit with the writer's own producer (unchained, it would resume each transaction
     * with a producer of its own and fence the writer's).
     */
    @Test
    void theForecastSinkIsATaskOfItsOwnWithItsCommitterChainedToItsWriter() {
        List<String> tasks = taskNames(options());

        List<String> sinkTasks =
                tasks.stream().filter(name -> name.contains("Forecasts to Kafka")).toList();
        assertThat(sinkTasks).hasSize(1);
        assertThat(sinkTasks.get(0))
                .contains("Writer", "Committer")
                .doesNotContain("BLUR inference");
    }

    /**
     * No exactly-once sink shares a task with the path from the readings to inference: a writer's
     * transaction set-up at each checkpoint would stall that path. Each sink still has its
     * committer chained to its writer.
     */
    @Test
    void noSinkSharesATaskWithTheReadingsOnTheirWayToInference() {
        List<String> tasks = taskNames(options());

        assertThat(tasks)
                .filteredOn(
                        name ->
                                name.contains("Source: Readings")
                                        || name.contains("Align readings")
                                        || name.contains("BLUR inference"))
                .hasSize(3)
                .allSatisfy(name -> assertThat(name).doesNotContain("Writer"));
        assertThat(tasks)
                .filteredOn(name -> name.contains("Writer"))
                .allSatisfy(name -> assertThat(name).contains("Committer"));
        for (String sink :
                List.of("Fused rows to Kafka", "Dead letters to Kafka", "Late readings to Kafka")) {
            assertThat(tasks).filteredOn(name -> name.contains(sink)).hasSize(1);
        }
    }

    @Test
    void windowsAndForecastsLeaveTheirTasksAsTheFlushIntervalsSay() {
        Configuration options = options();
        options.set(ForecastJobOptions.FORECAST_FLUSH_INTERVAL, java.time.Duration.ofMillis(7));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ForecastJob.fromConfiguration(options, false).addTo(env);
        StreamGraph graph = env.getStreamGraph();

        assertThat(bufferTimeoutOf(graph, ForecastJob.UID_INFERENCE)).isEqualTo(7);
        assertThat(bufferTimeoutOf(graph, ForecastJob.UID_WINDOWS)).isZero();
    }

    private static long bufferTimeoutOf(StreamGraph graph, String uid) {
        return graph.getStreamNodes().stream()
                .filter(node -> uid.equals(node.getTransformationUID()))
                .findFirst()
                .orElseThrow()
                .getBufferTimeout();
    }
}
