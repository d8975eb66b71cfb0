package io.blurstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blurstream.cli.stream.DemoCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack the README starts, end to end and bounded: a short unpaced replay of both
 * transformers must give every expected forecast once, dead-letter the broken records and report
 * the model that served. The run ends when both are complete, whatever order the sinks commit in.
 */
class DemoCommandTest {

    @Test
    void aBoundedDemoForecastsEveryWindowOnceAndReportsItAsJson(@TempDir Path dir)
            throws Exception {
        Path model = Path.of("").toAbsolutePath();
        while (!Files.exists(model.resolve(DemoCommand.MODEL))) {
            model = model.getParent();
        }
        CommandLine run =
                CommandLine.run(
                        "demo",
                        "--rows",
                        "160",
                        "--speedup",
                        "0",
                        "--duration",
                        "120",
                        "--model",
                        model.resolve(DemoCommand.MODEL).toString(),
                        "--work-dir",
                        dir.toString(),
                        "--json");
        assertThat(run.exit()).as(run.err()).isEqualTo(Blurstream.EXIT_OK);
        JsonNode summary = new ObjectMapper().readTree(run.lastOutLine());
        assertThat(summary.path("forecastsExpected").asLong()).isPositive();
        assertThat(summary.path("forecasts").asLong())
                .isEqualTo(summary.path("forecastsExpected").asLong());
        assertThat(summary.path("duplicates").asLong()).isZero();
        assertThat(summary.path("deadLettersExpected").asLong()).isPositive();
        assertThat(summary.path("deadLetters").asLong())
                .isEqualTo(summary.path("deadLettersExpected").asLong());
        assertThat(summary.path("readings").asLong()).isGreaterThan(2 * 150 * 7);
        assertThat(summary.path("modelVersions").toString())
                .isEqualTo("[\"ETTh1-blur-96 v1\",\"feeder-1 v1\"]");
        assertThat(summary.path("swaps").asLong()).isZero();
        assertThat(summary.path("rejectedUpdates").asLong()).isZero();
        // 160 rows: no forecast's 96-hour horizon has passed, and no refit is due (every 500 rows)
        assertThat(summary.path("onlineMae").isObject()).isTrue();
        assertThat(summary.path("refits").isObject()).isTrue();
    }
}
