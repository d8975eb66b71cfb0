package io.blurstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The job command checks its options before anything runs; the ITCases run the job itself. */
class JobCommandTest {

    @Test
    void aMissingRequiredOptionIsAUsageErrorNamingIt() {
        CommandLine run = CommandLine.run("job", "--blur.window.size", "48");
        assertThat(run.exit()).isEqualTo(Blurstream.EXIT_USAGE);
        assertThat(run.err())
                .contains("missing option blur.kafka.bootstrap-servers: Kafka bootstrap servers");
    }

    @Test
    void aMisspeltOptionIsAUsageErrorWithTheNearestOne() {
        CommandLine run = CommandLine.run("job", "--blur.window.sise", "48");
        assertThat(run.exit()).isEqualTo(Blurstream.EXIT_USAGE);
        assertThat(run.err()).contains("did you mean blur.window.size?");
    }

    @Test
    void helpListsTheOptionsAndMarkdownPrintsTheReference() {
        CommandLine help = CommandLine.run("job", "--help");
        assertThat(help.exit()).isEqualTo(Blurstream.EXIT_OK);
        assertThat(help.out()).contains("--blur.models.key-file <string>  [none]");
        CommandLine markdown = CommandLine.run("job", "--markdown");
        assertThat(markdown.exit()).isEqualTo(Blurstream.EXIT_OK);
        assertThat(markdown.out()).startsWith("# Configuration of the forecast job");
    }
}
