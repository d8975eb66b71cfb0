package io.blurstream.replay;

import io.blurstream.operators.catalog.SourceCatalog;
import io.blurstream.replay.ReplayRecord.Kind;
import io.blurstream.training.data.TimeSeriesTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The replay of several groups at once, each from its own table, merged into one send order: what a
 * fleet of sensors sends. Each group draws from its own seed ({@code options.seed() + index}), so
 * adding a group does not change the traffic of the others.
 *
 * @param records every record, in send order
 * @param counts records per kind
 */
public record FleetReplay(List<ReplayRecord> records, Map<Kind, Long> counts) {

    /**
     * Plans rows {@code [firstRow, firstRow + rows)} of each group's table.
     *
     * @param tables catalog group → the table its sensors read, in a fixed order
     * @param topicOfChannel the topic each channel's sensors publish to
     */
    public static FleetReplay plan(
            SourceCatalog catalog,
            Map<String, TimeSeriesTable> tables,
            int firstRow,
            int rows,
            ReplayOptions options,
            Function<String, String> topicOfChannel) {
        List<ReplayRecord> merged = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, TimeSeriesTable> group : tables.entrySet()) {
            List<ReplaySensor> sensors =
                    ReplaySensor.ofGroup(catalog, group.getKey(), topicOfChannel);
            ReplayOptions seeded = options.withSeed(options.seed() + index++);
            merged.addAll(ReplayPlan.plan(group.getValue(), sensors, firstRow, rows, seeded));
        }
        // a stable sort: equal send times keep group, row and sensor order
        merged.sort(Comparator.comparingLong(ReplayRecord::sendAtMillis));
        Map<Kind, Long> counts = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            counts.put(kind, 0L);
        }
        for (ReplayRecord record : merged) {
            counts.merge(record.kind(), 1L, Long::sum);
        }
        return new FleetReplay(List.copyOf(merged), Map.copyOf(counts));
    }

    /** Readings among the records (late ones and duplicates included, broken ones not). */
    public long readings() {
        return records.size() - counts.get(Kind.MALFORMED);
    }
}
