package io.blurstream.cli.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blurstream.cli.Arguments;
import io.blurstream.cli.Blurstream;
import io.blurstream.cli.Console;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack the README starts, end to end and bounded: a short unpaced replay of both
 * transformers must give every expected forecast once, dead-letter the broken records and report
 * the model that served.
 */
class DemoCommandTest {

    @Test
    void aBoundedDemoForecastsEveryWindowOnceAndReportsItAsJson(@TempDir Path dir)
            throws Exception {
        Path model = Path.of("").toAbsolutePath();
        while (!Files.exists(model.resolve(DemoCommand.MODEL))) {
            model = model.getParent();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit =
                    new DemoCommand()
                            .run(
                                    Arguments.parse(
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
                                            "--json"),
                                    new Console(o, e, true));
        }
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(Blurstream.EXIT_OK);
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        JsonNode summary = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(summary.path("forecastsExpected").asLong()).isPositive();
        assertThat(summary.path("forecasts").asLong())
                .isEqualTo(summary.path("forecastsExpected").asLong());
        assertThat(summary.path("duplicates").asLong()).isZero();
        assertThat(summary.path("deadLetters").asLong()).isPositive();
        assertThat(summary.path("readings").asLong()).isGreaterThan(2 * 150 * 7);
        assertThat(summary.path("modelVersions").toString()).isEqualTo("[\"ETTh1-blur-96 v1\"]");
    }
}
