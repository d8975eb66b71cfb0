package io.blurstream.replay;

import io.blurstream.operators.catalog.GroupSpec;
import io.blurstream.operators.catalog.SensorBinding;
import io.blurstream.operators.catalog.SourceCatalog;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

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

    /**
     * The sensors the catalog binds to {@code groupId}, each reading the dataset column named like
     * its channel, in channel order.
     *
     * @param topicOfChannel the topic each channel's sensors publish to
     */
    public static List<ReplaySensor> ofGroup(
            SourceCatalog catalog, String groupId, Function<String, String> topicOfChannel) {
        GroupSpec group = catalog.group(groupId);
        if (group == null) {
            throw new IllegalArgumentException(
                    "the catalog has no group "
                            + groupId
                            + "; groups: "
                            + catalog.groups().keySet());
        }
        return catalog.sensors().values().stream()
                .filter(b -> b.groupId().equals(groupId))
                .sorted(
                        Comparator.comparingInt(SensorBinding::channel)
                                .thenComparing(SensorBinding::sensorId))
                .map(
                        b -> {
                            String channel = group.channel(b.channel()).name();
                            return new ReplaySensor(
                                    channel, b.sensorId(), topicOfChannel.apply(channel));
                        })
                .toList();
    }
}
