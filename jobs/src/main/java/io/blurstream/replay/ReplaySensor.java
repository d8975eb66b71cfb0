package io.blurstream.replay;

import java.util.Objects;

/**
 * One sensor of a replay: it reports the dataset column {@code column} as {@code sensorId} on Kafka
 * topic {@code topic}.
 */
public record ReplaySensor(String column, String sensorId, String topic) {

    public ReplaySensor {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(topic, "topic");
    }
}
