package io.blurstream.job;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;

/**
 * The forecast job's typed options, all under {@code blur.}; their descriptions are the reference
 * documentation ({@code --help} and {@code docs/configuration.md} print them).
 */
public final class ForecastJobOptions {

    private ForecastJobOptions() {}

    /**
     * Keys under this prefix are Kafka client settings for every client of the job (sources, sinks
     * and the start-up topic check), with the prefix removed: e.g. {@code
     * blur.kafka.properties.security.protocol: SASL_SSL}. The job's own settings (bootstrap
     * servers, isolation, transactions) win over them.
     */
    public static final String KAFKA_PROPERTIES_PREFIX = "blur.kafka.properties.";

    /** The Kafka client settings under {@link #KAFKA_PROPERTIES_PREFIX}, prefix removed. */
    public static java.util.Properties kafkaProperties(
            org.apache.flink.configuration.Configuration options) {
        java.util.Properties properties = new java.util.Properties();
        options.toMap()
                .forEach(
                        (key, value) -> {
                            if (key.startsWith(KAFKA_PROPERTIES_PREFIX)
                                    && key.length() > KAFKA_PROPERTIES_PREFIX.length()) {
                                properties.setProperty(
                                        key.substring(KAFKA_PROPERTIES_PREFIX.length()), value);
                            }
                        });
        return properties;
    }

    public static final ConfigOption<String> JOB_NAME =
            ConfigOptions.key("blur.job.name")
                    .stringType()
                    .defaultValue("Blurstream forecast")
                    .withDescription("The job's name in Flink's web UI, REST API and metrics.");

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("blur.kafka.bootstrap-servers")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Kafka bootstrap servers, host:port[,host:port...]. Required.");

    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("blur.kafka.group-id")
                    .stringType()
                    .defaultValue("blurstream-forecast")
                    .withDescription(
                            "Consumer group of the reading and model sources; offsets are committed"
                                    + " on checkpoints, for monitoring only (Flink's state holds"
                                    + " the positions).");

    public static final ConfigOption<List<String>> READING_TOPICS =
            ConfigOptions.key("blur.topics.readings")
                    .stringType()
                    .asList()
                    .defaultValues("sensors")
                    .withDescription(
                            "Topics carrying sensor readings, one or several (e.g. one per sensor"
                                    + " family), semicolon-separated.");

    public static final ConfigOption<String> MODEL_TOPIC =
            ConfigOptions.key("blur.topics.models")
                    .stringType()
                    .defaultValue("models")
                    .withDescription(
                            "Topic carrying signed model updates (model files in chunks, and"
                                    + " promote, rollback and retire messages); see `blurstream"
                                    + " publish-model`.");

    public static final ConfigOption<String> MODEL_EVENT_TOPIC =
            ConfigOptions.key("blur.topics.model-events")
                    .stringType()
                    .defaultValue("model-events")
                    .withDescription(
                            "Topic the job writes what it did with each model-topic message to:"
                                    + " accepted, rejected (with the reason) or ignored.");

    public static final ConfigOption<String> FORECAST_TOPIC =
            ConfigOptions.key("blur.topics.forecasts")
                    .stringType()
                    .defaultValue("forecasts")
                    .withDescription("Topic the forecasts are written to, keyed by group.");

    public static final ConfigOption<String> DEAD_LETTER_TOPIC =
            ConfigOptions.key("blur.topics.dead-letters")
                    .stringType()
                    .defaultValue("dead-letters")
                    .withDescription(
                            "Topic for records that are not valid readings, with the reason.");

    public static final ConfigOption<String> LATE_TOPIC =
            ConfigOptions.key("blur.topics.late-readings")
                    .stringType()
                    .defaultValue("late-readings")
                    .withDescription(
                            "Topic for readings that arrived after their grid tick was emitted.");

    public static final ConfigOption<String> FUSED_ROW_TOPIC =
            ConfigOptions.key("blur.topics.fused-rows")
                    .stringType()
                    .defaultValue("fused-rows")
                    .withDescription(
                            "Topic for the aligned grid rows of every group, the history the"
                                    + " refit service learns from.");

    public static final ConfigOption<String> CATALOG =
            ConfigOptions.key("blur.catalog")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Source catalog (YAML or JSON): sensors, groups, grid steps, fill"
                                    + " policies. A file path, or classpath:NAME for a bundled"
                                    + " one. Required.");

    public static final ConfigOption<String> MODEL_FILE =
            ConfigOptions.key("blur.model.file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Model file to serve from the start, until the model topic brings a"
                                + " newer version of the same id. Without it, windows wait for the"
                                + " first model (see blur.inference.max-pending-windows).");

    public static final ConfigOption<String> EVALUATION_TOPIC =
            ConfigOptions.key("blur.topics.evaluations")
                    .stringType()
                    .defaultValue("evaluations")
                    .withDescription(
                            "Topic for the online evaluation of every forecast (serving and shadow"
                                    + " versions) once its horizon has passed: MAE and MSE against"
                                    + " the observed values, per step and overall.");

    public static final ConfigOption<Boolean> EVALUATION_ENABLED =
            ConfigOptions.key("blur.evaluation.enabled")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Whether the job scores its forecasts against the fused rows (online"
                                    + " evaluation, the evaluations topic). Off, it needs no"
                                    + " evaluations topic, and shadow trials of the refit service"
                                    + " get no scores. Turning it off in a job with state needs"
                                    + " --allowNonRestoredState, as the operator's state goes.");

    public static final ConfigOption<Integer> EVALUATION_MAX_HORIZON =
            ConfigOptions.key("blur.evaluation.max-horizon")
                    .intType()
                    .defaultValue(720)
                    .withDescription(
                            "The longest forecast horizon, in grid ticks, the online evaluation"
                                    + " scores in full. It keeps a group's fused rows as long as"
                                    + " the longest horizon among the group's forecasts needs"
                                    + " them, at most this many ticks (and this many before the"
                                    + " group's first forecast).");

    public static final ConfigOption<String> MODEL_KEY_FILE =
            ConfigOptions.key("blur.models.key-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The key model updates must be signed with: an HMAC-SHA256 secret"
                                    + " (base64 text, at least 32 bytes) or an Ed25519 public key"
                                    + " (PEM). Required; `blurstream keygen` makes one. Unsigned"
                                    + " or wrongly signed updates are rejected.");

    public static final ConfigOption<String> DEFAULT_MODEL_ID =
            ConfigOptions.key("blur.model.default-id")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Model id that serves the groups. Default: the id of blur.model.file,"
                                    + " else the first model accepted from the topic.");

    public static final ConfigOption<Integer> WINDOW_SIZE =
            ConfigOptions.key("blur.window.size")
                    .intType()
                    .defaultValue(96)
                    .withDescription(
                            "Rows per input window (the model's lookback W); models reading"
                                    + " another length are rejected.");

    public static final ConfigOption<Integer> WINDOW_SLIDE =
            ConfigOptions.key("blur.window.slide")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "Grid ticks between two forecasts of a group (windows are issued on"
                                    + " ticks whose index is a multiple of it).");

    public static final ConfigOption<Duration> WINDOW_FLUSH_INTERVAL =
            ConfigOptions.key("blur.window.flush-interval")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "How long an assembled window may wait in a network buffer before it"
                                    + " goes to inference; 0 sends each at once. Windows are"
                                    + " kilobytes and each costs about a millisecond of"
                                    + " inference, so flushing each is cheap, while Flink's"
                                    + " default buffer timeout (100 ms) adds up to 100 ms to a"
                                    + " forecast's latency when windows are few.");

    public static final ConfigOption<Duration> FORECAST_FLUSH_INTERVAL =
            ConfigOptions.key("blur.forecast.flush-interval")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "How long a forecast may wait in a network buffer on its way from"
                                    + " inference to its sink; 0 sends each at once. The sink runs"
                                    + " in a task of its own, so forecasts cross a buffer, and"
                                    + " Flink's default buffer timeout (100 ms) would add up to"
                                    + " 100 ms to every forecast's latency.");

    public static final ConfigOption<Integer> MAX_PENDING_WINDOWS =
            ConfigOptions.key("blur.inference.max-pending-windows")
                    .intType()
                    .defaultValue(24)
                    .withDescription(
                            "Windows kept per group while no model can serve it; they are forecast"
                                    + " when one arrives, the oldest beyond this bound are dropped"
                                    + " (metric pendingWindowsDropped).");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            ConfigOptions.key("blur.watermark.max-out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "Event-time disorder the watermark waits for, per Kafka partition.");

    public static final ConfigOption<Duration> IDLENESS =
            ConfigOptions.key("blur.watermark.idleness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "Wall-clock time after which a silent partition stops holding back"
                                    + " the watermark, so a quiet sensor cannot stall its group.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("blur.checkpoint.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "Checkpoint interval; forecasts become visible to read_committed"
                                    + " consumers when the checkpoint after them completes.");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("blur.sink.transactional-id-prefix")
                    .stringType()
                    .defaultValue("blurstream-forecast")
                    .withDescription(
                            "Prefix of the Kafka transactional ids of the exactly-once sinks;"
                                    + " unique per job on a Kafka cluster.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            ConfigOptions.key("blur.sink.transaction-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "Kafka transaction timeout of the sinks: above checkpoint interval plus"
                                    + " restart time, at most the broker's"
                                    + " transaction.max.timeout.ms (15 min by default).");

    public static final ConfigOption<TransactionNamingStrategy> TRANSACTION_NAMING =
            ConfigOptions.key("blur.sink.transaction-naming")
                    .enumType(TransactionNamingStrategy.class)
                    .defaultValue(TransactionNamingStrategy.POOLING)
                    .withDescription(
                            "How the exactly-once sinks name their Kafka transactions. POOLING"
                                    + " reuses a few transactional ids per subtask, so a job that"
                                    + " checkpoints every few seconds neither sets up a new"
                                    + " transactional producer per checkpoint nor leaves the broker"
                                    + " with a new transactional id to remember each time"
                                    + " (INCREMENTING does both). Needs Kafka 3.0 or newer"
                                    + " brokers.");

    /** Every option, in the order the documentation lists them. */
    public static List<ConfigOption<?>> all() {
        return List.of(
                JOB_NAME,
                BOOTSTRAP_SERVERS,
                GROUP_ID,
                READING_TOPICS,
                MODEL_TOPIC,
                MODEL_EVENT_TOPIC,
                EVALUATION_TOPIC,
                FORECAST_TOPIC,
                DEAD_LETTER_TOPIC,
                LATE_TOPIC,
                FUSED_ROW_TOPIC,
                CATALOG,
                MODEL_FILE,
                MODEL_KEY_FILE,
                DEFAULT_MODEL_ID,
                WINDOW_SIZE,
                WINDOW_SLIDE,
                WINDOW_FLUSH_INTERVAL,
                FORECAST_FLUSH_INTERVAL,
                MAX_PENDING_WINDOWS,
                EVALUATION_ENABLED,
                EVALUATION_MAX_HORIZON,
                OUT_OF_ORDERNESS,
                IDLENESS,
                CHECKPOINT_INTERVAL,
                TRANSACTIONAL_ID_PREFIX,
                TRANSACTION_TIMEOUT,
                TRANSACTION_NAMING);
    }
}
