package io.blurstream.replay;

import io.blurstream.operators.record.DeadLetterReason;
import io.blurstream.replay.ReplayRecord.Kind;
import io.blurstream.training.data.TimeSeriesTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns rows of a dataset into the records a fleet of sensors would send: one reading per sensor
 * and row, {@code {"sensor": id, "ts": epochMillis, "value": v}}, keyed by sensor id, in send
 * order. Readings are sent late by up to the disorder bound, some held back beyond it, and broken
 * records are mixed in, all drawn from one seed, so a replay is repeatable and its expected effect
 * on the job is known.
 */
public final class ReplayPlan {

    private ReplayPlan() {}

    /**
     * The records for rows {@code [firstRow, firstRow + rowCount)} of {@code table}, sorted by send
     * time (ties keep row, then sensor order).
     *
     * @throws IllegalArgumentException if a sensor names a column the table lacks, or the rows are
     *     out of range
     */
    public static List<ReplayRecord> plan(
            TimeSeriesTable table,
            List<ReplaySensor> sensors,
            int firstRow,
            int rowCount,
            ReplayOptions options) {
        if (firstRow < 0 || rowCount < 0 || firstRow + rowCount > table.rows()) {
            throw new IllegalArgumentException(
                    "rows ["
                            + firstRow
                            + ", "
                            + (firstRow + rowCount)
                            + ") are outside the table's "
                            + table.rows()
                            + " rows");
        }
        int[] columns = new int[sensors.size()];
        for (int s = 0; s < columns.length; s++) {
            String column = sensors.get(s).column();
            if (!table.columns().contains(column)) {
                throw new IllegalArgumentException(
                        "sensor "
                                + sensors.get(s).sensorId()
                                + " reads column '"
                                + column
                                + "', which "
                                + table.source()
                                + " lacks; columns: "
                                + table.columns());
            }
            columns[s] = table.columnIndex(column);
        }
        SplittableRandom random = new SplittableRandom(options.seed());
        List<ReplayRecord> records = new ArrayList<>();
        for (int row = firstRow; row < firstRow + rowCount; row++) {
            long eventMillis = table.timestampMillis(row);
            for (int s = 0; s < columns.length; s++) {
                ReplaySensor sensor = sensors.get(s);
                // draw every choice for every reading, so one option does not shift the others
                boolean outOfOrder = random.nextDouble() < options.outOfOrderFraction();
                long jitter =
                        options.disorderMillis() == 0
                                ? 0
                                : random.nextLong(options.disorderMillis() + 1);
                boolean late = random.nextDouble() < options.lateFraction();
                boolean dropped = random.nextDouble() < options.dropFraction();
                boolean duplicated = random.nextDouble() < options.duplicateFraction();
                boolean malformed = random.nextDouble() < options.malformedFraction();
                Broken broken = BROKEN[random.nextInt(BROKEN.length)];
                long delay = outOfOrder ? jitter : 0;
                Kind kind = Kind.READING;
                if (late) {
                    delay = options.disorderMillis() + options.lateDelayMillis();
                    kind = Kind.LATE_READING;
                }
                byte[] key = bytes(sensor.sensorId());
                if (!dropped) {
                    byte[] value =
                            bytes(
                                    reading(
                                            sensor.sensorId(),
                                            eventMillis,
                                            table.value(row, columns[s])));
                    records.add(
                            new ReplayRecord(
                                    sensor.topic(),
                                    key,
                                    value,
                                    eventMillis + delay,
                                    eventMillis,
                                    kind,
                                    null));
                    if (duplicated) {
                        records.add(
                                new ReplayRecord(
                                        sensor.topic(),
                                        key,
                                        value,
                                        eventMillis + delay,
                                        eventMillis,
                                        Kind.DUPLICATE,
                                        null));
                    }
                }
                if (malformed) {
                    records.add(
                            new ReplayRecord(
                                    sensor.topic(),
                                    key,
                                    bytes(broken.render(sensor.sensorId(), eventMillis)),
                                    eventMillis + delay,
                                    eventMillis,
                                    Kind.MALFORMED,
                                    broken.reason));
                }
            }
        }
        // a stable sort keeps equal send times in row and sensor order
        records.sort(Comparator.comparingLong(ReplayRecord::sendAtMillis));
        return records;
    }

    /** The wire form of one reading; sensor ids are escaped as JSON strings. */
    public static String reading(String sensorId, long eventMillis, double value) {
        return "{\"sensor\":"
                + jsonString(sensorId)
                + ",\"ts\":"
                + eventMillis
                + ",\"value\":"
                + value
                + "}";
    }

    /** The kinds of broken record a replay mixes in, each with the reason the job must give. */
    private enum Broken {
        CUT_OFF(DeadLetterReason.MALFORMED_JSON),
        QUOTED_VALUE(DeadLetterReason.WRONG_TYPE),
        UNKNOWN_SENSOR(DeadLetterReason.UNKNOWN_SENSOR),
        NO_TIMESTAMP(DeadLetterReason.MISSING_FIELD),
        EMPTY(DeadLetterReason.EMPTY_PAYLOAD),
        NOT_AN_OBJECT(DeadLetterReason.MALFORMED_JSON),
        YEAR_2200(DeadLetterReason.TIMESTAMP_OUT_OF_RANGE),
        OVERFLOWING_VALUE(DeadLetterReason.NON_FINITE_VALUE);

        final DeadLetterReason reason;

        Broken(DeadLetterReason reason) {
            this.reason = reason;
        }

        String render(String sensorId, long eventMillis) {
            String sensor = jsonString(sensorId);
            String ts = ",\"ts\":" + eventMillis;
            return switch (this) {
                case CUT_OFF -> "{\"sensor\":" + sensor + ts + ",\"value\":";
                case QUOTED_VALUE -> "{\"sensor\":" + sensor + ts + ",\"value\":\"high\"}";
                case UNKNOWN_SENSOR -> "{\"sensor\":\"no-such-sensor\"" + ts + ",\"value\":1.0}";
                case NO_TIMESTAMP -> "{\"sensor\":" + sensor + ",\"value\":1.0}";
                case EMPTY -> "";
                case NOT_AN_OBJECT -> "[1, 2, 3]";
                case YEAR_2200 -> "{\"sensor\":" + sensor + ",\"ts\":7258118400000,\"value\":1.0}";
                case OVERFLOWING_VALUE -> "{\"sensor\":" + sensor + ts + ",\"value\":1e999}";
            };
        }
    }

    private static final Broken[] BROKEN = Broken.values();

    private static String jsonString(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
