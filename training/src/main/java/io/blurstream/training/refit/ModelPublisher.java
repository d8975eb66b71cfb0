package io.blurstream.training.refit;

import io.blurstream.model.io.ModelFormatException;
import io.blurstream.model.update.UpdateKind;
import io.blurstream.model.update.UpdateMessages;
import io.blurstream.model.update.UpdateSigner;
import io.blurstream.model.update.UpdateStage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes signed model updates to the model topic ({@link UpdateMessages} format). Every record
 * of a model id is keyed by that id, so the chunks of a file and the control messages about it stay
 * in order on one partition. The producer is idempotent with {@code acks=all}; a send returns when
 * the broker has every chunk.
 */
public final class ModelPublisher implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final UpdateSigner signer;
    private final int chunkBytes;
    private final Clock clock;

    public ModelPublisher(
            String bootstrapServers,
            String topic,
            UpdateSigner signer,
            int chunkBytes,
            Clock clock) {
        this(bootstrapServers, new Properties(), topic, signer, chunkBytes, clock);
    }

    /**
     * @param clientSettings Kafka client settings (security, for one); the publisher's own
     *     (bootstrap servers, acks, idempotence, request size) win over them
     */
    public ModelPublisher(
            String bootstrapServers,
            Properties clientSettings,
            String topic,
            UpdateSigner signer,
            int chunkBytes,
            Clock clock) {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunkBytes must be ≥ 1, got " + chunkBytes);
        }
        Properties props = new Properties();
        props.putAll(clientSettings);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "blurstream-model-publisher");
        // a chunk is up to chunkBytes of base64 plus the header
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(1 << 20, 2 * chunkBytes));
        this.producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.signer = signer;
        this.chunkBytes = chunkBytes;
        this.clock = clock;
    }

    /**
     * Publishes a model file; returns the number of records (chunks) sent.
     *
     * @throws ModelFormatException if the file is not a valid model file (nothing is sent)
     */
    public int publishModel(
            byte[] modelFile, UpdateStage stage, Map<String, Object> metadata, Duration timeout)
            throws ModelFormatException,
                    InterruptedException,
                    ExecutionException,
                    TimeoutException {
        UpdateMessages.Upload upload =
                UpdateMessages.model(
                        modelFile, stage, metadata, signer, chunkBytes, clock.millis());
        send(upload.header().modelId(), upload.records(), timeout);
        return upload.records().size();
    }

    /** Publishes a promote, rollback or retire message. */
    public void publishControl(UpdateKind kind, String modelId, long version, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        send(
                modelId,
                List.of(UpdateMessages.control(kind, modelId, version, signer, clock.millis())),
                timeout);
    }

    private void send(String modelId, List<byte[]> records, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        byte[] key = modelId.getBytes(StandardCharsets.UTF_8);
        java.util.List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
        for (byte[] record : records) {
            sent.add(producer.send(new ProducerRecord<>(topic, key, record)));
        }
        producer.flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (var future : sent) {
            future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
