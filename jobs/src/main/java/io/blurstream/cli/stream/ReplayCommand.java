package io.blurstream.cli.stream;

import io.blurstream.cli.Arguments;
import io.blurstream.cli.Blurstream;
import io.blurstream.cli.Command;
import io.blurstream.cli.Console;
import io.blurstream.cli.KafkaClientSettings;
import io.blurstream.operators.catalog.SourceCatalog;
import io.blurstream.replay.FleetReplay;
import io.blurstream.replay.KafkaReplayer;
import io.blurstream.replay.ReplayOptions;
import io.blurstream.replay.ReplayRecord.Kind;
import io.blurstream.training.data.DatasetCatalog;
import io.blurstream.training.data.TimeSeriesTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code blurstream replay}: a dataset as live sensor streams into a Kafka cluster. */
public final class ReplayCommand implements Command {

    /** The {@code --json} summary. */
    public record Summary(
            long records,
            long readings,
            long lateReadings,
            long duplicates,
            long malformed,
            double seconds) {}

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public String summary() {
        return "Publish datasets to Kafka as sensor streams: paced, out of order, lossy on request";
    }

    @Override
    public String usage() {
        return """
        Usage: blurstream replay --bootstrap-servers HOST:PORT [options]

        Publishes datasets as the readings of a fleet of sensors,
        {"sensor": id, "ts": epoch-ms, "value": v}, keyed by sensor id: one sensor
        per column, each group of the catalog reading its own dataset. Arrival
        can be paced, jittered, out of order, lossy, duplicated, late, and mixed
        with broken records, all from one seed, so a replay is repeatable. The
        topics must exist.

        Options:
          --bootstrap-servers S  Kafka brokers (required)
          --catalog C            source catalog: a file or classpath:NAME
                                 [classpath:demo/ett-transformers.yaml]
          --groups LIST          GROUP=DATASET pairs
                                 [transformer-1=ETTh1,transformer-2=ETTh2]
          --topic T              topic of every channel not in --topic-of [sensors.load]
          --topic-of LIST        CHANNEL=TOPIC pairs [OT=sensors.temperature]
          --first-row N          [0]
          --rows N               rows per group [all from --first-row]
          --speedup X            event time runs X times faster than real time;
                                 0 sends as fast as the broker takes [3600]
          --disorder-min M       out-of-order readings arrive up to M minutes
                                 late [0]
          --out-of-order P       share of readings so delayed [1]
          --drop P, --duplicate P, --malformed P      [0, 0, 0]
          --late P               share of readings held back a further
                                 --late-delay-min beyond the disorder [0]
          --late-delay-min M     [180]
          --seed S               [1]
          --data DIR             dataset folder [the repository's data/]
          --kafka-config F       Kafka client settings (security.protocol, sasl.*,
                                 ssl.*, ...) as a properties file [none]
          --json                 end with one JSON line: records, readings,
                                 lateReadings, duplicates, malformed, seconds

        Examples:
          blurstream replay --bootstrap-servers localhost:9092 --speedup 36000
          blurstream replay --bootstrap-servers localhost:9092 --groups transformer-1=ETTh1 \\
              --disorder-min 20 --drop 0.01 --duplicate 0.01 --malformed 0.01 --speedup 0
        """;
    }

    @Override
    public int run(Arguments args, Console console) throws Exception {
        args.checkOptions(
                KafkaClientSettings.OPTION,
                "bootstrap-servers",
                "catalog",
                "groups",
                "topic",
                "topic-of",
                "first-row",
                "rows",
                "speedup",
                "disorder-min",
                "out-of-order",
                "drop",
                "duplicate",
                "malformed",
                "late",
                "late-delay-min",
                "seed",
                "data",
                "json");
        args.checkPositionals(0);
        String servers = args.requiredString("bootstrap-servers");
        String catalogLocation = args.string("catalog", "classpath:demo/ett-transformers.yaml");
        SourceCatalog catalog = SourceCatalog.locate(catalogLocation);
        String data = args.string("data", null);
        Path dataDir = DatasetCatalog.locateDataDirectory(data == null ? null : Path.of(data));
        Map<String, TimeSeriesTable> tables = new LinkedHashMap<>();
        int shortest = Integer.MAX_VALUE;
        for (Map.Entry<String, String> pair :
                pairs(args.string("groups", "transformer-1=ETTh1,transformer-2=ETTh2"), "--groups")
                        .entrySet()) {
            if (catalog.group(pair.getKey()) == null) {
                throw new IllegalArgumentException(
                        "--groups: the catalog has no group "
                                + pair.getKey()
                                + "; groups: "
                                + catalog.groups().keySet());
            }
            TimeSeriesTable table = DatasetCatalog.lookup(pair.getValue()).read(dataDir);
            tables.put(pair.getKey(), table);
            shortest = Math.min(shortest, table.rows());
        }
        int firstRow = args.integer("first-row", 0);
        int rows = args.integer("rows", shortest - firstRow);
        if (firstRow < 0 || rows <= 0 || firstRow + rows > shortest) {
            throw new IllegalArgumentException(
                    "--first-row and --rows must select rows within the shortest dataset ("
                            + shortest
                            + " rows)");
        }
        ReplayOptions options =
                new ReplayOptions(
                        Duration.ofMinutes(args.integer("disorder-min", 0)).toMillis(),
                        args.decimal("out-of-order", 1),
                        args.decimal("late", 0),
                        Duration.ofMinutes(args.integer("late-delay-min", 180)).toMillis(),
                        args.decimal("drop", 0),
                        args.decimal("duplicate", 0),
                        args.decimal("malformed", 0),
                        args.integer("seed", 1));
        String defaultTopic = args.string("topic", "sensors.load");
        Map<String, String> topicOf =
                new HashMap<>(
                        pairs(args.string("topic-of", "OT=sensors.temperature"), "--topic-of"));
        FleetReplay fleet =
                FleetReplay.plan(
                        catalog,
                        tables,
                        firstRow,
                        rows,
                        options,
                        channel -> topicOf.getOrDefault(channel, defaultTopic));
        double speedup = args.decimal("speedup", 3600);
        console.info(
                String.format(
                        "replaying %,d records of %d groups × %,d rows to %s",
                        fleet.records().size(), tables.size(), rows, servers));
        long start = System.nanoTime();
        long total = fleet.records().size();
        try (KafkaReplayer replayer = new KafkaReplayer(servers, KafkaClientSettings.of(args))) {
            replayer.send(
                    fleet.records(),
                    speedup,
                    sent -> console.status(String.format("sent %,d of %,d", sent, total)));
        }
        console.clearStatus();
        double seconds = (System.nanoTime() - start) / 1e9;
        Summary summary =
                new Summary(
                        total,
                        fleet.readings(),
                        fleet.counts().get(Kind.LATE_READING),
                        fleet.counts().get(Kind.DUPLICATE),
                        fleet.counts().get(Kind.MALFORMED),
                        Math.round(seconds * 10) / 10.0);
        if (console.json()) {
            console.printJson(summary);
        } else {
            console.println(
                    String.format(
                            "sent %,d records in %.1f s: %,d readings (%,d late, %,d duplicates),"
                                    + " %,d broken",
                            total,
                            seconds,
                            summary.readings(),
                            summary.lateReadings(),
                            summary.duplicates(),
                            summary.malformed()));
        }
        return Blurstream.EXIT_OK;
    }

    private static Map<String, String> pairs(String list, String option) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String item : list.split(",")) {
            String[] kv = item.trim().split("=", 2);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                throw new IllegalArgumentException(
                        option
                                + ": expected NAME=VALUE pairs separated by commas, got '"
                                + item
                                + "'");
            }
            pairs.put(kv[0].trim(), kv[1].trim());
        }
        return pairs;
    }
}
