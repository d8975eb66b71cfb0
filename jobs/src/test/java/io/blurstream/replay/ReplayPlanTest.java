package io.blurstream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blurstream.replay.ReplayRecord.Kind;
import io.blurstream.training.data.TimeSeriesTable;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayPlanTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static TimeSeriesTable table() throws Exception {
        StringBuilder csv = new StringBuilder("date,load,temp\n");
        for (int h = 0; h < 48; h++) {
            csv.append(
                    String.format("2016-07-%02d %02d:00:00,%d.5,%d%n", 1 + h / 24, h % 24, h, -h));
        }
        return TimeSeriesTable.parse(new StringReader(csv.toString()), "test.csv");
    }

    private static final List<ReplaySensor> SENSORS =
            List.of(
                    new ReplaySensor("load", "site-1.load", "sensors.load"),
                    new ReplaySensor("temp", "site-1.\"temp\"", "sensors.temperature"));

    @Test
    void cleanReplaySendsEveryReadingOnceInEventOrder() throws Exception {
        TimeSeriesTable table = table();
        List<ReplayRecord> records = ReplayPlan.plan(table, SENSORS, 2, 10, ReplayOptions.CLEAN);
        assertThat(records).hasSize(20).allMatch(r -> r.kind() == Kind.READING);
        ReplayRecord first = records.get(0);
        assertThat(first.topic()).isEqualTo("sensors.load");
        assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("site-1.load");
        JsonNode reading = JSON.readTree(first.value());
        assertThat(reading.get("sensor").asText()).isEqualTo("site-1.load");
        assertThat(reading.get("ts").asLong()).isEqualTo(table.timestampMillis(2));
        assertThat(reading.get("value").asDouble()).isEqualTo(2.5);
        JsonNode escaped = JSON.readTree(records.get(1).value());
        assertThat(escaped.get("sensor").asText()).isEqualTo("site-1.\"temp\"");
        assertThat(escaped.get("value").asDouble()).isEqualTo(-2.0);
        assertThat(records)
                .isSortedAccordingTo(java.util.Comparator.comparingLong(ReplayRecord::eventMillis));
    }

    @Test
    void disorderStaysWithinItsBoundAndLateReadingsArriveBeyondIt() throws Exception {
        long hour = 3_600_000;
        ReplayOptions options = ReplayOptions.disordered(2 * hour, 7).withLate(0.1, 5 * hour);
        List<ReplayRecord> records = ReplayPlan.plan(table(), SENSORS, 0, 48, options);
        assertThat(records).hasSize(96);
        long late = records.stream().filter(r -> r.kind() == Kind.LATE_READING).count();
        assertThat(late).isBetween(2L, 25L);
        for (ReplayRecord r : records) {
            long delay = r.sendAtMillis() - r.eventMillis();
            if (r.kind() == Kind.LATE_READING) {
                assertThat(delay).isEqualTo(7 * hour);
            } else {
                assertThat(delay).isBetween(0L, 2 * hour);
            }
        }
        assertThat(records)
                .isSortedAccordingTo(
                        java.util.Comparator.comparingLong(ReplayRecord::sendAtMillis));
        boolean outOfEventOrder = false;
        for (int i = 1; i < records.size(); i++) {
            outOfEventOrder |= records.get(i).eventMillis() < records.get(i - 1).eventMillis();
        }
        assertThat(outOfEventOrder).as("some readings overtake others").isTrue();
    }

    @Test
    void malformedRecordsAreMixedInAndAreNotValidReadings() throws Exception {
        ReplayOptions options = ReplayOptions.CLEAN.withMalformed(0.3);
        List<ReplayRecord> records = ReplayPlan.plan(table(), SENSORS, 0, 48, options);
        List<ReplayRecord> broken =
                records.stream().filter(r -> r.kind() == Kind.MALFORMED).toList();
        assertThat(records.size() - broken.size()).isEqualTo(96);
        assertThat(broken).hasSizeBetween(10, 50);
        for (ReplayRecord r : broken) {
            assertThat(isValidReadingOfAKnownSensor(r.value()))
                    .as(new String(r.value(), StandardCharsets.UTF_8))
                    .isFalse();
        }
    }

    @Test
    void droppedReadingsAreMissingAndDuplicatesRepeatTheirReading() throws Exception {
        ReplayOptions options = ReplayOptions.CLEAN.withLoss(0.2, 0.1);
        List<ReplayRecord> records = ReplayPlan.plan(table(), SENSORS, 0, 48, options);
        long readings = records.stream().filter(r -> r.kind() == Kind.READING).count();
        List<ReplayRecord> duplicates =
                records.stream().filter(r -> r.kind() == Kind.DUPLICATE).toList();
        assertThat(readings).isBetween(60L, 90L);
        assertThat(duplicates).isNotEmpty();
        for (ReplayRecord d : duplicates) {
            assertThat(records)
                    .anyMatch(
                            r ->
                                    r.kind() == Kind.READING
                                            && java.util.Arrays.equals(r.value(), d.value()));
        }
    }

    @Test
    void equalSeedsGiveEqualReplays() throws Exception {
        ReplayOptions options =
                new ReplayOptions(1_000_000, 0.5, 0.05, 9_000_000, 0.05, 0.05, 0.05, 11);
        List<ReplayRecord> one = ReplayPlan.plan(table(), SENSORS, 0, 48, options);
        List<ReplayRecord> two = ReplayPlan.plan(table(), SENSORS, 0, 48, options);
        assertThat(one).hasSameSizeAs(two);
        for (int i = 0; i < one.size(); i++) {
            assertThat(two.get(i).value()).isEqualTo(one.get(i).value());
            assertThat(two.get(i).sendAtMillis()).isEqualTo(one.get(i).sendAtMillis());
        }
    }

    @Test
    void unknownColumnsAndRowRangesAreRejectedWithTheirNames() throws Exception {
        TimeSeriesTable table = table();
        List<ReplaySensor> wrong = List.of(new ReplaySensor("OT", "s", "t"));
        assertThatThrownBy(() -> ReplayPlan.plan(table, wrong, 0, 1, ReplayOptions.CLEAN))
                .hasMessageContaining("'OT'")
                .hasMessageContaining("[load, temp]");
        assertThatThrownBy(() -> ReplayPlan.plan(table, SENSORS, 40, 10, ReplayOptions.CLEAN))
                .hasMessageContaining("48 rows");
    }

    private static boolean isValidReadingOfAKnownSensor(byte[] value) {
        try {
            JsonNode node = JSON.readTree(value);
            return node.hasNonNull("sensor")
                    && node.get("sensor").asText().startsWith("site-1.")
                    && node.path("ts").isIntegralNumber()
                    && node.get("ts").asLong() < 4_102_444_800_000L // 2100-01-01
                    && node.path("value").isNumber()
                    && Double.isFinite(node.get("value").asDouble());
        } catch (Exception e) {
            return false;
        }
    }
}
