package io.blurstream.job;

import io.blurstream.model.update.UpdateKeys;
import io.blurstream.model.update.UpdateVerifier;
import io.blurstream.operators.align.AlignmentFunction;
import io.blurstream.operators.catalog.SourceCatalog;
import io.blurstream.operators.evaluate.OnlineEvaluationFunction;
import io.blurstream.operators.inference.ForecastFunction;
import io.blurstream.operators.inference.InferenceKeys;
import io.blurstream.operators.inference.ModelAssemblyFunction;
import io.blurstream.operators.inference.ModelRecord;
import io.blurstream.operators.inference.ModelRecordDeserializer;
import io.blurstream.operators.inference.ModelUpdate;
import io.blurstream.operators.ingest.DeadLetterSplitFunction;
import io.blurstream.operators.ingest.SensorReadingDeserializer;
import io.blurstream.operators.record.DeadLetter;
import io.blurstream.operators.record.Forecast;
import io.blurstream.operators.record.FusedRow;
import io.blurstream.operators.record.FusedWindow;
import io.blurstream.operators.record.IngestRecord;
import io.blurstream.operators.record.SensorReading;
import io.blurstream.operators.window.WindowAssemblyFunction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The forecast job: readings from Kafka → dead-letter split → event-time alignment per group →
 * window assembly → BLUR inference with the model from broadcast state → forecasts to Kafka,
 * exactly once.
 *
 * <p>Built from typed options ({@link ForecastJobOptions}); {@link #fromConfiguration} checks them
 * all (required options, the catalog, the initial model) before anything runs, so a misconfigured
 * job fails at submission with a message naming the option. Every stateful operator has a fixed
 * {@code uid}, so savepoints survive changes to the graph around them.
 */
public final class ForecastJob {

    /** Operator uids: part of the savepoint contract, never change them. */
    public static final String UID_READINGS = "readings-source";

    public static final String UID_SPLIT = "dead-letter-split";
    public static final String UID_ALIGN = "alignment";
    public static final String UID_WINDOWS = "window-assembly";
    public static final String UID_MODELS = "model-source";
    public static final String UID_MODEL_ASSEMBLY = "model-assembly";
    public static final String UID_MODEL_EVENT_SINK = "model-event-sink";
    public static final String UID_EVALUATION = "online-evaluation";
    public static final String UID_EVALUATION_SINK = "evaluation-sink";
    public static final String UID_INFERENCE = "inference";
    public static final String UID_FORECAST_SINK = "forecast-sink";
    public static final String UID_DEAD_LETTER_SINK = "dead-letter-sink";
    public static final String UID_LATE_SINK = "late-reading-sink";
    public static final String UID_FUSED_ROW_SINK = "fused-row-sink";

    private static final KeySelector<SensorReading, String> READING_GROUP = r -> r.groupId;
    private static final KeySelector<FusedRow, String> ROW_GROUP = r -> r.groupId;
    private static final KeySelector<Forecast, String> FORECAST_GROUP = f -> f.groupId;

    private final Configuration options;
    private final SourceCatalog catalog;
    private final byte[] initialModel;
    private final UpdateVerifier modelKey;
    private final boolean bounded;

    private ForecastJob(
            Configuration options,
            SourceCatalog catalog,
            byte[] initialModel,
            UpdateVerifier modelKey,
            boolean bounded) {
        this.options = options;
        this.catalog = catalog;
        this.initialModel = initialModel;
        this.modelKey = modelKey;
        this.bounded = bounded;
    }

    /**
     * Checks the options and loads the catalog and the initial model.
     *
     * @param bounded read the topics up to their end offsets at start and then finish (replays,
     *     tests); otherwise run until cancelled
     * @throws IllegalArgumentException naming the option that is missing or wrong
     */
    public static ForecastJob fromConfiguration(Configuration options, boolean bounded) {
        require(options, ForecastJobOptions.BOOTSTRAP_SERVERS);
        String catalogLocation = require(options, ForecastJobOptions.CATALOG);
        SourceCatalog catalog;
        try {
            catalog = SourceCatalog.locate(catalogLocation);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    ForecastJobOptions.CATALOG.key() + ": " + e.getMessage(), e);
        }
        byte[] model = null;
        String modelFile = options.get(ForecastJobOptions.MODEL_FILE);
        if (modelFile != null) {
            try {
                model = Files.readAllBytes(Path.of(modelFile));
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        ForecastJobOptions.MODEL_FILE.key() + ": cannot read " + modelFile, e);
            }
        }
        String keyFile = require(options, ForecastJobOptions.MODEL_KEY_FILE);
        UpdateVerifier modelKey;
        try {
            modelKey = UpdateKeys.verifierFromFile(Path.of(keyFile));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    ForecastJobOptions.MODEL_KEY_FILE.key() + ": " + e.getMessage(), e);
        }
        checkPositive(options, ForecastJobOptions.WINDOW_SIZE);
        checkPositive(options, ForecastJobOptions.WINDOW_SLIDE);
        checkPositive(options, ForecastJobOptions.EVALUATION_MAX_HORIZON);
        if (options.get(ForecastJobOptions.MAX_PENDING_WINDOWS) < 0) {
            throw new IllegalArgumentException(
                    ForecastJobOptions.MAX_PENDING_WINDOWS.key() + " must be ≥ 0");
        }
        if (options.get(ForecastJobOptions.READING_TOPICS).isEmpty()) {
            throw new IllegalArgumentException(
                    ForecastJobOptions.READING_TOPICS.key() + " names no topic");
        }
        ForecastJob job = new ForecastJob(options, catalog, model, modelKey, bounded);
        job.forecastFunction(); // fails now if the initial model cannot serve
        return job;
    }

    /**
     * Asks the brokers whether every topic the job reads or writes exists; a Kafka source on a
     * missing topic would otherwise fail over again and again.
     *
     * @throws IllegalArgumentException naming the missing topics and their options
     * @throws IllegalStateException if the brokers do not answer within {@code timeout}
     */
    public void checkTopicsExist(Duration timeout) {
        Map<String, String> optionOfTopic = new java.util.LinkedHashMap<>();
        for (String topic : options.get(ForecastJobOptions.READING_TOPICS)) {
            optionOfTopic.put(topic, ForecastJobOptions.READING_TOPICS.key());
        }
        for (var option :
                List.of(
                        ForecastJobOptions.MODEL_TOPIC,
                        ForecastJobOptions.MODEL_EVENT_TOPIC,
                        ForecastJobOptions.EVALUATION_TOPIC,
                        ForecastJobOptions.FORECAST_TOPIC,
                        ForecastJobOptions.DEAD_LETTER_TOPIC,
                        ForecastJobOptions.LATE_TOPIC,
                        ForecastJobOptions.FUSED_ROW_TOPIC)) {
            if (option != ForecastJobOptions.EVALUATION_TOPIC
                    || options.get(ForecastJobOptions.EVALUATION_ENABLED)) {
                optionOfTopic.put(options.get(option), option.key());
            }
        }
        Properties props = ForecastJobOptions.kafkaProperties(options);
        props.put("bootstrap.servers", options.get(ForecastJobOptions.BOOTSTRAP_SERVERS));
        java.util.Set<String> existing;
        var admin = org.apache.kafka.clients.admin.Admin.create(props);
        try {
            existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot list the topics of "
                            + options.get(ForecastJobOptions.BOOTSTRAP_SERVERS)
                            + " within "
                            + timeout.toSeconds()
                            + " s (check blur.kafka.bootstrap-servers and the client settings"
                            + " under "
                            + ForecastJobOptions.KAFKA_PROPERTIES_PREFIX
                            + "): "
                            + e,
                    e);
        } finally {
            // a request still waiting for an unreachable broker would hold close() for the
            // client's whole API timeout
            admin.close(Duration.ZERO);
        }
        List<String> missing =
                optionOfTopic.entrySet().stream()
                        .filter(e -> !existing.contains(e.getKey()))
                        .map(e -> e.getKey() + " (" + e.getValue() + ")")
                        .toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(
                    "missing Kafka topics: " + String.join(", ", missing) + "; create them first");
        }
    }

    /** The catalog the job serves. */
    public SourceCatalog catalog() {
        return catalog;
    }

    /** Sets checkpointing and type rules on {@code env} and adds the job's graph. */
    public void addTo(StreamExecutionEnvironment env) {
        env.enableCheckpointing(
                options.get(ForecastJobOptions.CHECKPOINT_INTERVAL).toMillis(),
                CheckpointingMode.EXACTLY_ONCE);
        // Every record and state type is a POJO; a Kryo fallback would be a bug (and would break
        // savepoint compatibility quietly), so make it an error.
        Configuration pipeline = new Configuration();
        pipeline.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(pipeline, ForecastJob.class.getClassLoader());

        SingleOutputStreamOperator<SensorReading> readings =
                env.fromSource(readingSource(), watermarks(), "Readings")
                        .uid(UID_READINGS)
                        .process(new DeadLetterSplitFunction())
                        .uid(UID_SPLIT)
                        .name("Split off dead letters");
        DataStream<DeadLetter> deadLetters =
                readings.getSideOutput(DeadLetterSplitFunction.DEAD_LETTERS);

        SingleOutputStreamOperator<FusedRow> rows =
                readings.keyBy(READING_GROUP, Types.STRING)
                        .process(new AlignmentFunction(catalog))
                        .uid(UID_ALIGN)
                        .name("Align readings on the grid");
        DataStream<SensorReading> late = rows.getSideOutput(AlignmentFunction.LATE_READINGS);

        // This sink, and those of dead letters and late readings, are fed across a pointwise edge
        // (rescale) rather than chained to the operator that makes their records: at every
        // checkpoint an exactly-once writer sets up its next transaction, a round trip to the
        // transaction coordinator that blocks its task's thread (10-75 ms on the local stack),
        // even when it wrote nothing. Chained, that stalled the reading source and alignment, on
        // the readings' way to inference.
        toKafka(
                rows.rescale(),
                ForecastJobOptions.FUSED_ROW_TOPIC,
                "fused-rows",
                r -> r.groupId.getBytes(StandardCharsets.UTF_8),
                UID_FUSED_ROW_SINK,
                "Fused rows to Kafka");

        // Rows leave alignment on the subtask of their group: no second shuffle is needed.
        KeyedStream<FusedRow, String> rowsByGroup =
                DataStreamUtils.reinterpretAsKeyedStream(rows, ROW_GROUP, Types.STRING);
        SingleOutputStreamOperator<FusedWindow> windows =
                rowsByGroup
                        .process(
                                new WindowAssemblyFunction(
                                        catalog,
                                        options.get(ForecastJobOptions.WINDOW_SIZE),
                                        options.get(ForecastJobOptions.WINDOW_SLIDE)))
                        .uid(UID_WINDOWS)
                        .name("Assemble windows");
        // Inference has a second (broadcast) input, so it cannot chain: windows cross a network
        // buffer, which would otherwise hold them until it fills or Flink's timeout fires.
        windows.setBufferTimeout(options.get(ForecastJobOptions.WINDOW_FLUSH_INTERVAL).toMillis());

        // The model topic is judged once, at parallelism 1: signatures checked, chunked files
        // put together; what passes is broadcast to every inference instance.
        SingleOutputStreamOperator<ModelUpdate> verifiedUpdates =
                env.fromSource(modelSource(), modelWatermarks(), "Models")
                        .uid(UID_MODELS)
                        .setParallelism(1)
                        .process(
                                new ModelAssemblyFunction(
                                        modelKey, ModelAssemblyFunction.DEFAULT_MAX_UPLOADS))
                        .uid(UID_MODEL_ASSEMBLY)
                        .name("Verify and assemble model updates")
                        .setParallelism(1);
        BroadcastStream<ModelUpdate> models =
                verifiedUpdates.broadcast(ForecastFunction.MODELS, ForecastFunction.DEFAULT_MODEL);
        // Windows are shuffled once more, by a key that spreads the groups evenly over inference's
        // subtasks: keyed by group id, the busiest subtask (by the luck of the hash) would set the
        // pace of the whole job. Each group's windows still go to one subtask, in order.
        SingleOutputStreamOperator<Forecast> forecasts =
                windows.keyBy(inferenceKeys(env), Types.INT)
                        .connect(models)
                        .process(forecastFunction())
                        .uid(UID_INFERENCE)
                        .name("BLUR inference");
        // the forecast sink is a task of its own (see below): forecasts cross a network buffer
        forecasts.setBufferTimeout(
                options.get(ForecastJobOptions.FORECAST_FLUSH_INTERVAL).toMillis());
        if (options.get(ForecastJobOptions.EVALUATION_ENABLED)) {
            addEvaluation(rowsByGroup, forecasts);
        }
        toKafka(
                verifiedUpdates
                        .getSideOutput(ModelAssemblyFunction.MODEL_EVENTS)
                        .union(forecasts.getSideOutput(ForecastFunction.MODEL_EVENTS)),
                ForecastJobOptions.MODEL_EVENT_TOPIC,
                "model-events",
                e -> e.modelId == null ? null : e.modelId.getBytes(StandardCharsets.UTF_8),
                UID_MODEL_EVENT_SINK,
                "Model events to Kafka");

        // The forecast sink runs in a task of its own. At every checkpoint an exactly-once writer
        // sets up its next Kafka transaction (a round trip to the transaction coordinator: tens of
        // ms on a busy broker) and commits the previous one, both on its task's thread; chained to
        // inference, each would hold up every window queued behind it. The sink stamps each
        // forecast's latency as it writes it, so the latency still covers the way to Kafka.
        // The chain is broken by a pointwise edge (subtask i feeds sink subtask i), not by
        // disableChaining(): that would also unchain the sink's committer from its writer, and an
        // unchained committer resumes every transaction with a producer of its own, which fences
        // the writer's (failed commits, logged as possibly lost data).
        sinkToKafka(
                forecasts.rescale(),
                ForecastJobOptions.FORECAST_TOPIC,
                "forecasts",
                f -> f.groupId.getBytes(StandardCharsets.UTF_8),
                Forecast::stampWritten,
                UID_FORECAST_SINK,
                "Forecasts to Kafka");
        toKafka(
                deadLetters.rescale(),
                ForecastJobOptions.DEAD_LETTER_TOPIC,
                "dead-letters",
                d -> null,
                UID_DEAD_LETTER_SINK,
                "Dead letters to Kafka");
        toKafka(
                late.rescale(),
                ForecastJobOptions.LATE_TOPIC,
                "late",
                r -> r.sensorId.getBytes(StandardCharsets.UTF_8),
                UID_LATE_SINK,
                "Late readings to Kafka");
    }

    /**
     * Writes {@code stream} as JSON to the topic of {@code topicOption}, exactly once, with
     * transactional ids of the job's prefix plus {@code -idSuffix} (unique per sink).
     */
    private <T> void toKafka(
            DataStream<T> stream,
            ConfigOption<String> topicOption,
            String idSuffix,
            JsonRecordSerializer.KeyOf<T> key,
            String uid,
            String name) {
        sinkToKafka(
                stream,
                topicOption,
                idSuffix,
                key,
                JsonRecordSerializer.BeforeWrite.nothing(),
                uid,
                name);
    }

    /** {@link #toKafka}, calling {@code beforeWrite} on each record as it is written. */
    private <T> void sinkToKafka(
            DataStream<T> stream,
            ConfigOption<String> topicOption,
            String idSuffix,
            JsonRecordSerializer.KeyOf<T> key,
            JsonRecordSerializer.BeforeWrite<T> beforeWrite,
            String uid,
            String name) {
        stream.sinkTo(sink(options.get(topicOption), idSuffix, key, beforeWrite))
                .uid(uid)
                .name(name);
    }

    /**
     * The keys of inference, spread for the key groups the job will have: the configured maximum
     * parallelism, else Flink's default for the job's parallelism.
     */
    private InferenceKeys inferenceKeys(StreamExecutionEnvironment env) {
        int maxParallelism = env.getMaxParallelism();
        if (maxParallelism <= 0) {
            maxParallelism =
                    KeyGroupRangeAssignment.computeDefaultMaxParallelism(
                            Math.max(1, env.getParallelism()));
        }
        return InferenceKeys.spreading(catalog.groups().keySet(), maxParallelism);
    }

    private ForecastFunction<Integer> forecastFunction() {
        String defaultId = options.get(ForecastJobOptions.DEFAULT_MODEL_ID);
        return new ForecastFunction<>(
                catalog,
                options.get(ForecastJobOptions.WINDOW_SIZE),
                defaultId,
                options.get(ForecastJobOptions.MAX_PENDING_WINDOWS),
                initialModel);
    }

    /** Online evaluation: rows and forecasts of each group, scored, to the evaluations topic. */
    private void addEvaluation(
            KeyedStream<FusedRow, String> rowsByGroup,
            SingleOutputStreamOperator<Forecast> forecasts) {
        // Forecasts of serving and shadow versions leave inference on the subtask of their
        // inference key, not of their group: they are keyed by group again to meet the rows.
        KeyedStream<Forecast, String> allForecastsByGroup =
                forecasts
                        .union(forecasts.getSideOutput(ForecastFunction.SHADOW_FORECASTS))
                        .keyBy(FORECAST_GROUP, Types.STRING);
        toKafka(
                rowsByGroup
                        .connect(allForecastsByGroup)
                        .process(
                                new OnlineEvaluationFunction(
                                        catalog,
                                        options.get(ForecastJobOptions.EVALUATION_MAX_HORIZON)))
                        .uid(UID_EVALUATION)
                        .name("Online evaluation"),
                ForecastJobOptions.EVALUATION_TOPIC,
                "evaluations",
                e -> e.groupId.getBytes(StandardCharsets.UTF_8),
                UID_EVALUATION_SINK,
                "Evaluations to Kafka");
    }

    private KafkaSource<IngestRecord> readingSource() {
        var builder =
                KafkaSource.<IngestRecord>builder()
                        .setProperties(ForecastJobOptions.kafkaProperties(options))
                        .setBootstrapServers(options.get(ForecastJobOptions.BOOTSTRAP_SERVERS))
                        .setTopics(options.get(ForecastJobOptions.READING_TOPICS))
                        .setGroupId(options.get(ForecastJobOptions.GROUP_ID))
                        .setStartingOffsets(
                                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                        .setDeserializer(new SensorReadingDeserializer(catalog));
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    private KafkaSource<ModelRecord> modelSource() {
        var builder =
                KafkaSource.<ModelRecord>builder()
                        .setProperties(ForecastJobOptions.kafkaProperties(options))
                        .setBootstrapServers(options.get(ForecastJobOptions.BOOTSTRAP_SERVERS))
                        .setTopics(options.get(ForecastJobOptions.MODEL_TOPIC))
                        .setGroupId(options.get(ForecastJobOptions.GROUP_ID) + "-models")
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setDeserializer(new ModelRecordDeserializer())
                        // model files are large; one poll need not hold many
                        .setProperty("max.partition.fetch.bytes", String.valueOf(16 << 20));
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /**
     * Model updates carry no event time. Inference has them as its second input, and an operator's
     * event time is the minimum over its active inputs, so a model stream without watermarks would
     * hold the event time of everything after inference (the online evaluation) at its start
     * forever. The model stream therefore declares itself idle a second after its last update, and
     * idle inputs do not count. (A watermark of +∞ instead would be wrong: while the readings are
     * idle it would be the only active input and carry +∞ downstream, ending event time there.)
     */
    private static WatermarkStrategy<ModelRecord> modelWatermarks() {
        return WatermarkStrategy.<ModelRecord>noWatermarks().withIdleness(Duration.ofSeconds(1));
    }

    private WatermarkStrategy<IngestRecord> watermarks() {
        Duration disorder = options.get(ForecastJobOptions.OUT_OF_ORDERNESS);
        return WatermarkStrategy.<IngestRecord>forBoundedOutOfOrderness(disorder)
                // dead letters carry no event time and must not move the watermark
                .withTimestampAssigner(
                        (record, kafkaTime) ->
                                record.reading != null
                                        ? record.reading.timestampMillis
                                        : Long.MIN_VALUE)
                .withIdleness(options.get(ForecastJobOptions.IDLENESS));
    }

    /** An exactly-once JSON sink; records are keyed by {@code key} (null: no key). */
    private <T> KafkaSink<T> sink(
            String topic,
            String idSuffix,
            JsonRecordSerializer.KeyOf<T> key,
            JsonRecordSerializer.BeforeWrite<T> beforeWrite) {
        Properties producer = sinkProducerProperties(options);
        return KafkaSink.<T>builder()
                .setBootstrapServers(options.get(ForecastJobOptions.BOOTSTRAP_SERVERS))
                .setRecordSerializer(new JsonRecordSerializer<>(topic, key, beforeWrite))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(
                        options.get(ForecastJobOptions.TRANSACTIONAL_ID_PREFIX) + "-" + idSuffix)
                .setTransactionNamingStrategy(options.get(ForecastJobOptions.TRANSACTION_NAMING))
                .setKafkaProducerConfig(producer)
                .build();
    }

    /**
     * The Kafka producer settings of every sink: the user's {@code blur.kafka.properties.*}, the
     * transaction timeout, and defaults the user may override.
     */
    static Properties sinkProducerProperties(Configuration options) {
        Properties producer = ForecastJobOptions.kafkaProperties(options);
        producer.setProperty(
                "transaction.timeout.ms",
                String.valueOf(options.get(ForecastJobOptions.TRANSACTION_TIMEOUT).toMillis()));
        // At each checkpoint a sink starts its next transaction on a pooled transactional id whose
        // previous transaction may still be completing on the broker; the broker then answers
        // "concurrent transactions" and the client retries after retry.backoff.ms, 100 ms by
        // default, while the sink's task waits. Retry sooner.
        producer.putIfAbsent("retry.backoff.ms", "10");
        // What an exactly-once sink writes becomes visible when its transaction commits, at the
        // next checkpoint, so sending it sooner gains readers nothing; the writer flushes at each
        // checkpoint barrier anyway. Kafka's defaults (5 ms, 16 KB: two forecasts of seven
        // channels) turned each tick's burst of forecasts into a dozen produce requests per sink,
        // whose handling in the broker and the producer's I/O thread took the cores from
        // inference; one request per burst costs a fraction. See docs/benchmarks.md.
        producer.putIfAbsent("linger.ms", "50");
        producer.putIfAbsent("batch.size", String.valueOf(256 * 1024));
        return producer;
    }

    private static String require(
            Configuration options, org.apache.flink.configuration.ConfigOption<String> option) {
        String value = options.get(option);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    "missing option "
                            + option.key()
                            + ": "
                            + OptionsReference.descriptionOf(option));
        }
        return value;
    }

    private static void checkPositive(
            Configuration options, org.apache.flink.configuration.ConfigOption<Integer> option) {
        if (options.get(option) <= 0) {
            throw new IllegalArgumentException(
                    option.key() + " must be > 0, got " + options.get(option));
        }
    }

    /** All option keys, for messages. */
    static List<String> keys() {
        return ForecastJobOptions.all().stream().map(o -> o.key()).toList();
    }
}
