package io.blurstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class VersionCommandTest {

    @Test
    void jsonHasTheFactsOnOneLine() throws Exception {
        CommandLine run = CommandLine.run("version", "--json");

        assertThat(run.exit()).isEqualTo(Blurstream.EXIT_OK);
        assertThat(run.outLines()).hasSize(1);
        JsonNode json = new ObjectMapper().readTree(run.lastOutLine());
        // Filtered from the pom: a literal ${project.version} would mean filtering broke.
        assertThat(json.get("blurstream").asText()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(json.get("java").asText()).isEqualTo(System.getProperty("java.version"));
        // Surefire runs with --add-modules=jdk.incubator.vector (parent pom).
        assertThat(json.get("vectorApi").asBoolean()).isTrue();
        assertThat(json.get("kernel").asText()).isIn("vector", "scalar");
        assertThat(json.get("cpus").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void humanOutputHasOneLinePerFact() {
        CommandLine run = CommandLine.run("version");

        assertThat(run.exit()).isEqualTo(Blurstream.EXIT_OK);
        assertThat(run.outLines())
                .hasSize(5)
                .anySatisfy(line -> assertThat(line).startsWith("blurstream  0."))
                .contains("vector api  present")
                .anySatisfy(line -> assertThat(line).startsWith("cpus        "));
    }

    @Test
    void rejectsOptionsItDoesNotTake() {
        CommandLine run = CommandLine.run("version", "--jsn");

        assertThat(run.exit()).isEqualTo(Blurstream.EXIT_USAGE);
        assertThat(run.err())
                .startsWith(
                        "blurstream version: unknown option --jsn (did you mean --json?);"
                                + " accepted options: --json\n");
    }
}
