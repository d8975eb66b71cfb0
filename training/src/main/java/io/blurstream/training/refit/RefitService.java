package io.blurstream.training.refit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.blurstream.model.BlurModel;
import io.blurstream.model.io.ModelCodec;
import io.blurstream.model.io.ModelFormatException;
import io.blurstream.model.update.UpdateFormatException;
import io.blurstream.model.update.UpdateHeader;
import io.blurstream.model.update.UpdateKind;
import io.blurstream.model.update.UpdateMessage;
import io.blurstream.model.update.UpdateMessages;
import io.blurstream.model.update.UpdateSigner;
import io.blurstream.model.update.UpdateStage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The continuous refit loop of one model id and the group it learns from: reads the group's fused
 * rows from Kafka into a {@link RollingSeries}; every {@code everyRows} new rows (or {@code
 * everyEventMillis} of event time) it fine-tunes the serving model ({@link Refitter}); a candidate
 * that beats it on the held-out rows is published, signed, as the next version, with the evaluation
 * in the update's metadata; the job's verdict comes back on the model-events topic. Every step is
 * written to the refit log topic ({@link RefitDecision}).
 *
 * <p>With the {@link UpdateStage#SHADOW shadow} stage a better candidate is published as a shadow:
 * the job forecasts beside the serving version with it, and the service follows the live trial on
 * the evaluations topic ({@link ShadowTrial}), then publishes {@code promote} or {@code retire}. No
 * refit starts while a trial runs. A service in the shadow stage judges the shadow of its model id
 * whoever published it, and picks up a trial that was running when it stopped.
 *
 * <p>Its state comes back from Kafka: at start it reads the fused-rows topic from the beginning
 * (what retention keeps) to refill the rolling set, the model-events topic to learn which version
 * of its model serves, and the model topic for that version's file and the highest version
 * published so far. Reads are {@code read_committed}. It runs on the calling thread until {@link
 * #stop} (training uses its own worker threads) and then closes its clients.
 */
public final class RefitService implements AutoCloseable {

    /** Where it reads and writes, and what it refits. */
    public record Topics(
            String rows, String models, String modelEvents, String evaluations, String log) {}

    // writes a NaN error (nothing trained) as the string "NaN", Jackson's default
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final String bootstrapServers;
    private final Properties clientSettings;
    private final Topics topics;
    private final String groupId;
    private final RefitSettings settings;
    private final Clock clock;
    private final Consumer<RefitDecision> listener;
    private final ModelPublisher publisher;
    private final KafkaProducer<byte[], byte[]> log;
    private final KafkaConsumer<byte[], byte[]> rows;
    private final KafkaConsumer<byte[], byte[]> events;
    private final KafkaConsumer<byte[], byte[]> evaluations;
    private final Refitter refitter;

    private volatile boolean running = true;
    private volatile boolean refitRequested;
    private volatile long newestRowMillis = Long.MIN_VALUE;
    private BlurModel serving;
    private long highestVersion;
    private RollingSeries series;
    private final RefitSchedule schedule;

    /** The shadow on trial and its trial, or null. */
    private BlurModel shadow;

    private ShadowTrial trial;
    private long trialDeadlineNanos;

    /**
     * @param initial the model to start from when the topics name no serving version of its id
     * @param listener sees every decision too (the command's output)
     */
    public RefitService(
            String bootstrapServers,
            Topics topics,
            String groupId,
            BlurModel initial,
            UpdateSigner signer,
            RefitSettings settings,
            Clock clock,
            Consumer<RefitDecision> listener) {
        this(
                bootstrapServers,
                new Properties(),
                topics,
                groupId,
                initial,
                signer,
                settings,
                clock,
                listener);
    }

    /**
     * @param clientSettings Kafka client settings for every client of the service (security, for
     *     one); its own (bootstrap servers, isolation, acks) win over them
     */
    public RefitService(
            String bootstrapServers,
            Properties clientSettings,
            Topics topics,
            String groupId,
            BlurModel initial,
            UpdateSigner signer,
            RefitSettings settings,
            Clock clock,
            Consumer<RefitDecision> listener) {
        this.clientSettings = clientSettings;
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.groupId = groupId;
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        this.serving = initial;
        this.highestVersion = initial.version();
        this.refitter = new Refitter(settings);
        this.series = new RollingSeries(initial.config().channels(), settings.capacityRows());
        // a refit needs training windows, then the validation and held-out parts
        this.schedule =
                new RefitSchedule(
                        settings.everyRows(),
                        settings.everyEventMillis(),
                        initial.config().window()
                                + initial.config().horizon()
                                + settings.validationRows()
                                + settings.heldOutRows());
        this.publisher =
                new ModelPublisher(
                        bootstrapServers,
                        clientSettings,
                        topics.models(),
                        signer,
                        UpdateMessages.DEFAULT_CHUNK_BYTES,
                        clock);
        Properties producer = new Properties();
        producer.putAll(clientSettings);
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.log =
                new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer());
        this.rows = consumer();
        this.events = consumer();
        this.evaluations = consumer();
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties props = new Properties();
        props.putAll(clientSettings);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The version serving now, as far as this service knows. */
    public synchronized long servingVersion() {
        return serving.version();
    }

    /** Recovers from Kafka ({@link #recover}), then refits until {@link #stop}. */
    public void run() throws Exception {
        recover();
        assignFromStart(rows, topics.rows());
        while (running) {
            boolean grew = false;
            for (ConsumerRecord<byte[], byte[]> record : rows.poll(Duration.ofMillis(200))) {
                grew |= addRow(record.value());
            }
            if (grew) {
                newestRowMillis = series.newestTick();
            }
            if (trial != null) {
                followTrial();
            } else if ((grew && schedule.take(series)) || refitRequested) {
                refitRequested = false;
                refitOnce();
            }
        }
    }

    /**
     * Asks {@link #run} for a refit at its next step (or once a running trial is over), whatever
     * the schedule says.
     */
    public void requestRefit() {
        refitRequested = true;
    }

    /** Grid time of the newest row read so far, or {@link Long#MIN_VALUE} before the first. */
    public long newestRowMillis() {
        return newestRowMillis;
    }

    /** Asks {@link #run} to return after its current step. */
    public void stop() {
        running = false;
    }

    private boolean addRow(byte[] value) throws IOException {
        JsonNode row = JSON.readTree(value);
        if (!groupId.equals(row.path("groupId").asText())) {
            return false;
        }
        JsonNode cells = row.path("values");
        float[] values = new float[cells.size()];
        for (int c = 0; c < values.length; c++) {
            JsonNode cell = cells.get(c);
            values[c] = cell.isNumber() ? cell.floatValue() : Float.NaN;
        }
        if (values.length != serving.config().channelCount()) {
            throw new IllegalStateException(
                    "group "
                            + groupId
                            + " has rows of "
                            + values.length
                            + " channels, the model reads "
                            + serving.config().channelCount());
        }
        return series.add(row.path("tickMillis").asLong(), values);
    }

    /** One refit of the serving model on the rows held now; publishes a better candidate. */
    void refitOnce() throws Exception {
        BlurModel champion;
        synchronized (this) {
            champion = serving;
        }
        Refitter.Outcome outcome =
                refitter.refit(champion, series.toTable("fused rows of " + groupId));
        long next = highestVersion + 1;
        if (outcome.candidate() == null) {
            decide(RefitDecision.SKIPPED, champion, next, outcome);
            return;
        }
        if (!outcome.better()) {
            decide(RefitDecision.DISCARDED, champion, next, outcome);
            return;
        }
        BlurModel candidate = outcome.candidate().withVersion(next);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("basedOnVersion", champion.version());
        metadata.put("championMse", outcome.championMse());
        metadata.put("candidateMse", outcome.candidateMse());
        metadata.put("trainWindows", outcome.trainWindows());
        metadata.put("heldOutWindows", outcome.heldOutWindows());
        metadata.put("group", groupId);
        if (settings.stage() == UpdateStage.SHADOW) {
            // the shadow's first evaluation can only follow the job's acceptance: reading from
            // here on misses none of the trial
            seekToEnd(evaluations, topics.evaluations());
        }
        publisher.publishModel(
                ModelCodec.toBytes(candidate), settings.stage(), metadata, Duration.ofSeconds(60));
        highestVersion = next;
        decide(RefitDecision.PUBLISHED, champion, next, outcome);
        awaitVerdict(candidate, champion, outcome);
    }

    /** Waits for the job's event about {@code candidate}; it serves only once the job says so. */
    private void awaitVerdict(BlurModel candidate, BlurModel champion, Refitter.Outcome outcome)
            throws IOException {
        JsonNode event = awaitEvent(UpdateKind.MODEL, candidate.modelId(), candidate.version());
        if (event == null) {
            decide(
                    RefitDecision.REJECTED,
                    champion,
                    candidate.version(),
                    outcome.withReason("no verdict from the job within 60 s"));
        } else if (!event.path("outcome").asText().equals("ACCEPTED")) {
            decide(
                    RefitDecision.REJECTED,
                    champion,
                    candidate.version(),
                    outcome.withReason("the job rejected it: " + event.path("reason").asText()));
        } else if (event.path("servingVersion").asLong() == candidate.version()) {
            synchronized (this) {
                serving = candidate;
            }
            decide(RefitDecision.SWAPPED, champion, candidate.version(), outcome);
        } else if (event.path("shadowVersion").asLong() == candidate.version()) {
            startTrial(candidate, event.path("servingVersion").asLong());
            decide(
                    RefitDecision.SHADOWING,
                    champion,
                    candidate.version(),
                    outcome.withReason(
                            outcome.reason()
                                    + "; on trial beside v"
                                    + trial.servingVersion()
                                    + " until "
                                    + trial.windows()
                                    + " live forecasts of both are scored"));
        } else {
            decide(
                    RefitDecision.REJECTED,
                    champion,
                    candidate.version(),
                    outcome.withReason(
                            "the job accepted it but neither serves nor shadows it: "
                                    + event.path("reason").asText()));
        }
    }

    /**
     * The job's event about a message of {@code kind} for {@code version}, read from where the
     * events consumer stands; null if none comes within 60 s.
     */
    private JsonNode awaitEvent(UpdateKind kind, String modelId, long version) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (running && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : events.poll(Duration.ofMillis(200))) {
                JsonNode event = JSON.readTree(record.value());
                if (modelId.equals(event.path("modelId").asText())
                        && event.path("version").asLong() == version
                        && kind.wireName().equals(event.path("kind").asText())) {
                    return event;
                }
            }
        }
        return null;
    }

    private void startTrial(BlurModel candidate, long servingVersion) {
        shadow = candidate;
        trial =
                new ShadowTrial(
                        candidate.modelId(),
                        groupId,
                        servingVersion,
                        candidate.version(),
                        settings.trialWindows(),
                        settings.margin());
        trialDeadlineNanos = System.nanoTime() + settings.trialTimeout().toNanos();
    }

    /**
     * Feeds the trial the evaluations that came in; once it has a verdict (or has run out of time)
     * publishes {@code promote} or {@code retire} and waits for the job's event.
     */
    private void followTrial() throws Exception {
        for (ConsumerRecord<byte[], byte[]> record : evaluations.poll(Duration.ofMillis(50))) {
            JsonNode e = JSON.readTree(record.value());
            trial.offer(
                    e.path("groupId").asText(),
                    e.path("modelId").asText(),
                    e.path("modelVersion").asLong(),
                    e.path("issuedForMillis").asLong(),
                    e.path("observed").asInt(),
                    e.path("mae").asDouble(Double.NaN));
        }
        ShadowTrial.Verdict verdict = trial.verdict();
        boolean timedOut = System.nanoTime() - trialDeadlineNanos > 0;
        if (verdict == ShadowTrial.Verdict.PENDING && !timedOut) {
            return;
        }
        UpdateKind kind =
                verdict == ShadowTrial.Verdict.PROMOTE ? UpdateKind.PROMOTE : UpdateKind.RETIRE;
        String why =
                verdict == ShadowTrial.Verdict.PENDING
                        ? "the trial ran out of its "
                                + settings.trialTimeout()
                                + ": "
                                + trial.describe()
                        : trial.describe();
        String modelId = shadow.modelId();
        publisher.publishControl(kind, modelId, trial.shadowVersion(), Duration.ofSeconds(60));
        JsonNode event = awaitEvent(kind, modelId, trial.shadowVersion());
        String what;
        if (event == null) {
            what = RefitDecision.REJECTED;
            why = kind.wireName() + " sent, no verdict from the job within 60 s; " + why;
        } else if (!event.path("outcome").asText().equals("ACCEPTED")) {
            what = RefitDecision.REJECTED;
            why = "the job rejected " + kind.wireName() + ": " + event.path("reason").asText();
        } else {
            what = kind == UpdateKind.PROMOTE ? RefitDecision.PROMOTED : RefitDecision.RETIRED;
        }
        if (event != null && event.path("servingVersion").asLong() == shadow.version()) {
            synchronized (this) {
                serving = shadow;
            }
        }
        ShadowTrial ended = trial;
        trial = null;
        shadow = null;
        log(
                new RefitDecision(
                        1,
                        clock.millis(),
                        modelId,
                        groupId,
                        what,
                        ended.servingVersion(),
                        ended.shadowVersion(),
                        series.size(),
                        series.size() == 0 ? -1 : series.newestTick(),
                        0,
                        0,
                        Double.NaN,
                        Double.NaN,
                        ended.pairs(),
                        ended.servingMae(),
                        ended.shadowMae(),
                        why));
    }

    private void decide(String what, BlurModel champion, long version, Refitter.Outcome outcome)
            throws IOException {
        log(
                new RefitDecision(
                        1,
                        clock.millis(),
                        champion.modelId(),
                        groupId,
                        what,
                        champion.version(),
                        version,
                        series.size(),
                        series.size() == 0 ? -1 : series.newestTick(),
                        outcome.trainWindows(),
                        outcome.heldOutWindows(),
                        outcome.championMse(),
                        outcome.candidateMse(),
                        0,
                        Double.NaN,
                        Double.NaN,
                        outcome.reason()));
    }

    private void log(RefitDecision decision) throws IOException {
        log.send(
                new ProducerRecord<>(
                        topics.log(),
                        decision.modelId().getBytes(StandardCharsets.UTF_8),
                        JSON.writeValueAsBytes(decision)));
        log.flush();
        listener.accept(decision);
    }

    /**
     * Reads the model-events topic for the serving version of the model id and the model topic for
     * its file and the highest version published; leaves the events consumer at the end. The rows
     * come back as {@link #run} reads the fused-rows topic from its start.
     */
    public void recover() throws IOException {
        String modelId = serving.modelId();
        long servingVersion = -1;
        long shadowVersion = -1;
        assignFromStart(events, topics.modelEvents());
        for (ConsumerRecord<byte[], byte[]> record : readToEnd(events)) {
            JsonNode event = JSON.readTree(record.value());
            if (modelId.equals(event.path("modelId").asText())
                    && "ACCEPTED".equals(event.path("outcome").asText())) {
                servingVersion = event.path("servingVersion").asLong();
                shadowVersion = event.path("shadowVersion").asLong();
            }
        }
        KafkaConsumer<byte[], byte[]> models = consumer();
        try (models) {
            assignFromStart(models, topics.models());
            // chunks by index per upload (its signed header); a chunk read twice fills its slot
            // again
            Map<String, byte[][]> uploads = new HashMap<>();
            BlurModel found = null;
            BlurModel foundShadow = null;
            for (ConsumerRecord<byte[], byte[]> record : readToEnd(models)) {
                UpdateMessage message;
                try {
                    message = UpdateMessages.read(record.value());
                } catch (UpdateFormatException e) {
                    continue;
                }
                if (message.header().kind() != UpdateKind.MODEL
                        || !modelId.equals(message.header().modelId())) {
                    continue;
                }
                long version = message.header().version();
                highestVersion = Math.max(highestVersion, version);
                if (version != servingVersion && version != shadowVersion) {
                    continue;
                }
                byte[][] chunks =
                        uploads.computeIfAbsent(
                                message.headerJson(), k -> new byte[message.header().chunks()][]);
                chunks[message.chunk()] = message.data();
                if (Arrays.stream(chunks).allMatch(Objects::nonNull)) {
                    BlurModel model = decode(message.header(), chunks);
                    if (model != null && version == servingVersion) {
                        found = model;
                    } else if (model != null) {
                        foundShadow = model;
                    }
                }
            }
            if (found != null) {
                synchronized (this) {
                    serving = found;
                }
            }
            if (foundShadow != null && settings.stage() == UpdateStage.SHADOW) {
                // the trial starts over on every scored forecast kept: pairs are not stored
                startTrial(foundShadow, servingVersion);
                assignFromStart(evaluations, topics.evaluations());
            }
        }
    }

    /** The model of a complete upload, or null if it does not add up or decode. */
    private static BlurModel decode(UpdateHeader header, byte[][] chunks) {
        try {
            return ModelCodec.read(UpdateMessages.join(header, chunks));
        } catch (UpdateFormatException | ModelFormatException e) {
            return null;
        }
    }

    private static void assignFromStart(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        assignAll(consumer, topic);
        consumer.seekToBeginning(consumer.assignment());
    }

    private static void assignAll(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic, Duration.ofSeconds(30))
                .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        consumer.assign(partitions);
    }

    private static void seekToEnd(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        if (consumer.assignment().isEmpty()) {
            assignAll(consumer, topic);
        }
        consumer.seekToEnd(consumer.assignment());
        // seekToEnd is lazy: asking for the positions fixes them now, before the shadow is sent
        consumer.assignment().forEach(consumer::position);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readToEnd(
            KafkaConsumer<byte[], byte[]> consumer) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        while (end.entrySet().stream()
                .anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    @Override
    public void close() {
        running = false;
        publisher.close();
        log.close(Duration.ofSeconds(10));
        rows.close(Duration.ofSeconds(10));
        events.close(Duration.ofSeconds(10));
        evaluations.close(Duration.ofSeconds(10));
    }
}
