package io.blurstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Console console =
            new Console(
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    true);

    record Result(String name, double value, List<Integer> windows) {}

    private List<String> outLines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void theJsonLineIsCompactAndLastAfterHumanOutput() throws Exception {
        console.println("a human line");
        console.print(new Table("k", "v").row("a", 1));
        console.info("progress");
        console.printJson(new Result("multi\nline \"name\"", 1.5, List.of(96, 336)));

        List<String> lines = outLines();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(3))
                .isEqualTo(
                        "{\"name\":\"multi\\nline \\\"name\\\"\",\"value\":1.5,"
                                + "\"windows\":[96,336]}");
        JsonNode json = new ObjectMapper().readTree(lines.get(3));
        assertThat(json.get("name").asText()).isEqualTo("multi\nline \"name\"");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("progress\n");
        assertThat(console.json()).isTrue();
    }

    @Test
    void nothingReachesStdoutAfterTheJsonLine() {
        console.printJson(Map.of("ok", true));

        assertThatThrownBy(() -> console.println("late"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must be the last line");
        assertThatThrownBy(() -> console.print(new Table("k")))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> console.printJson(Map.of("again", true)))
                .isInstanceOf(IllegalStateException.class);
        console.info("stderr is still open");

        assertThat(outLines()).containsExactly("{\"ok\":true}");
    }

    @Test
    void unserialisableValuesFailWithoutWritingAnything() {
        assertThatThrownBy(() -> console.printJson(new Object()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot write java.lang.Object as JSON");
        assertThat(out.size()).isZero();
        console.printJson(List.of(1));
        assertThat(outLines()).containsExactly("[1]");
    }

    @Test
    void tablesRightAlignNumberColumnsAndLeftAlignText() {
        Table table = new Table("kernel", "window", "windows/s", "speed-up", "note");
        table.row("vector", 96, "41,210.5", "3.2x", "");
        table.row("scalar", 1024, "12,877.0", "-", "baseline");

        assertThat(table.render())
                .isEqualTo(
                        "kernel  window  windows/s  speed-up  note\n"
                                + "vector      96   41,210.5      3.2x\n"
                                + "scalar    1024   12,877.0         -  baseline\n");
    }

    @Test
    void aTableWithoutRowsPrintsItsHeader() {
        assertThat(new Table("a", "bb").render()).isEqualTo("a  bb\n");
    }

    @Test
    void rowsMustMatchTheHeader() {
        assertThatThrownBy(() -> new Table("a", "b").row(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("row has 1 cells but the table has 2 columns [a, b]");
        assertThatThrownBy(Table::new).isInstanceOf(IllegalArgumentException.class);
    }
}
