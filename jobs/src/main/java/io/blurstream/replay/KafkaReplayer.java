package io.blurstream.replay;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends a {@link ReplayPlan} to Kafka, paced: {@code speed} milliseconds of event time pass per
 * millisecond of wall-clock time (3,600,000 plays an hour of readings per second); a speed of 0
 * sends as fast as the broker accepts. Idempotent producer with {@code acks=all}, so a replay is
 * stored exactly as planned.
 */
public final class KafkaReplayer implements AutoCloseable {

    private final Producer<byte[], byte[]> producer;

    /** The first error a send callback reported (callbacks run on the producer's I/O thread). */
    private volatile Exception failure;

    public KafkaReplayer(String bootstrapServers) {
        this(bootstrapServers, new Properties());
    }

    /**
     * @param clientSettings Kafka client settings (security, for one); the replayer's own
     *     (bootstrap servers, acks, idempotence) win over them
     */
    public KafkaReplayer(String bootstrapServers, Properties clientSettings) {
        Properties props = new Properties();
        props.putAll(clientSettings);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "blurstream-replay");
        this.producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Sends {@code records} in order and waits until the broker has them all.
     *
     * @param progress called with the number sent so far, about every thousand records
     * @return the number of records sent
     * @throws IllegalStateException if the broker rejects a record
     */
    public long send(List<ReplayRecord> records, double speed, LongConsumer progress)
            throws InterruptedException {
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be a finite number ≥ 0, got " + speed);
        }
        if (records.isEmpty()) {
            return 0;
        }
        long startNanos = System.nanoTime();
        long firstSendAt = records.get(0).sendAtMillis();
        long sent = 0;
        for (ReplayRecord record : records) {
            if (speed > 0) {
                long dueNanos =
                        startNanos + (long) ((record.sendAtMillis() - firstSendAt) / speed * 1e6);
                long waitNanos = dueNanos - System.nanoTime();
                if (waitNanos > 0) {
                    producer.flush(); // what is due goes out before we sleep
                    TimeUnit.NANOSECONDS.sleep(waitNanos);
                }
            }
            producer.send(
                    new ProducerRecord<>(record.topic(), null, record.key(), record.value()),
                    (metadata, error) -> {
                        if (error != null) {
                            failure = error;
                        }
                    });
            sent++;
            if (sent % 1000 == 0) {
                progress.accept(sent);
                checkFailure();
            }
        }
        producer.flush();
        checkFailure();
        progress.accept(sent);
        return sent;
    }

    private void checkFailure() {
        Exception error = failure;
        if (error != null) {
            throw new IllegalStateException("the broker rejected a replayed record", error);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
