package io.blurstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlurstreamTest {

    @Test
    void discoversCommandsFromEveryServiceFile() {
        // version and the training commands come from src/main/resources, echo and fail from
        // src/test/resources.
        assertThat(Blurstream.discover(false).commands().keySet())
                .containsExactly(
                        "benchmark-suite",
                        "cluster-smoke",
                        "demo",
                        "echo",
                        "eval",
                        "fail",
                        "job",
                        "keygen",
                        "publish-model",
                        "refit",
                        "replay",
                        "train",
                        "version");
    }

    @Test
    void helpListsTheCommandsSortedWithTheirSummaries() {
        CommandLine run = CommandLine.run("--help");

        assertThat(run.exit()).isEqualTo(Blurstream.EXIT_OK);
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines())
                .containsSubsequence(
                        "Usage: blurstream <command> [arguments] [options]",
                        "Commands:",
                        "  benchmark-suite  "
                                + new io.blurstream.cli.train.BenchmarkSuiteCommand().summary(),
                        "  echo             Echo the parsed arguments (test only)",
                        "  fail             Fail on purpose (test only)",
                        "  version          " + new VersionCommand().summary(),
                        "Run 'blurstream <command> --help' for the options of a command.");
        assertThat(CommandLine.run("-h").out()).isEqualTo(run.out());
    }

    @Test
    void noArgumentsPrintsTheListingAsAUsageError() {
        CommandLine run = CommandLine.run();

        assertThat(run.exit()).isEqualTo(Blurstream.EXIT_USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("Commands:", "  version  ");
    }

    @Test
    void anUnknownCommandNamesTheKnownOnesAndTheClosest() {
        CommandLine run = CommandLine.run("verison", "--json");

        assertThat(run.exit()).isEqualTo(Blurstream.EXIT_USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .isEqualTo(
                        "blurstream: unknown command 'verison'. Did you mean 'version'? Known"
                            + " commands: benchmark-suite, cluster-smoke, demo, echo, eval, fail,"
                            + " job, keygen, publish-model, refit, replay, train, version.\n");
        assertThat(CommandLine.run("kubernetes").err()).doesNotContain("Did you mean");
    }

    @Test
    void anOptionInsteadOfACommandIsAUsageError() {
        CommandLine run = CommandLine.run("--json", "version");

        assertThat(run.exit()).isEqualTo(Blurstream.EXIT_USAGE);
        assertThat(run.err()).contains("expected a command before any option, got '--json'");
    }

    @Test
    void commandHelpPrintsTheUsageWithoutRunningTheCommand() {
        for (String[] argv :
                List.of(
                        new String[] {"echo", "--help"},
                        new String[] {"echo", "kernel", "--batch", "abc", "-h"})) {
            CommandLine run = CommandLine.run(argv);

            assertThat(run.exit()).isEqualTo(Blurstream.EXIT_OK);
            assertThat(run.out()).isEqualTo(new TestCommands.Echo().usage() + "\n");
            assertThat(run.err()).isEmpty();
        }
    }

    @Test
    void badArgumentsAreUsageErrorsThatPointToHelp() {
        CommandLine run = CommandLine.run("echo", "--batch", "abc");

        assertThat(run.exit()).isEqualTo(Blurstream.EXIT_USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .isEqualTo(
                        "blurstream echo: --batch expects an integer, got 'abc'\n"
                                + "see 'blurstream echo --help'\n");
    }

    @Test
    void unknownOptionsAreUsageErrors() {
        CommandLine run = CommandLine.run("echo", "--qiuck");

        assertThat(run.exit()).isEqualTo(Blurstream.EXIT_USAGE);
        assertThat(run.err()).contains("unknown option --qiuck (did you mean --quick?)");
    }

    @Test
    void anIllegalArgumentFromTheCommandItselfIsAUsageError() {
        CommandLine run = CommandLine.run("fail", "usage");

        assertThat(run.exit()).isEqualTo(Blurstream.EXIT_USAGE);
        assertThat(run.err()).startsWith("blurstream fail: --size must be positive\n");
    }

    @Test
    void otherFailuresExitWithOneAndTheirCauses() {
        CommandLine run = CommandLine.run("fail", "crash");

        assertThat(run.exit()).isEqualTo(Blurstream.EXIT_FAILURE);
        assertThat(run.err())
                .isEqualTo(
                        "blurstream fail: IllegalStateException: model file is corrupt (caused"
                                + " by: IOException: unexpected end of stream)\n"
                                + "(set BLURSTREAM_DEBUG=1 for the stack trace)\n");
    }

    @Test
    void aFailedStaticInitialiserIsReportedByItsCause() {
        CommandLine run = CommandLine.run("fail", "init");

        assertThat(run.exit()).isEqualTo(Blurstream.EXIT_FAILURE);
        assertThat(run.err())
                .startsWith(
                        "blurstream fail: java.lang.ExceptionInInitializerError (caused by:"
                                + " IllegalStateException: -Dtest.mode must be 'a' or 'b', got"
                                + " 'c')\n");
    }

    @Test
    void debugModePrintsTheStackTrace() {
        CommandLine run = CommandLine.run(Blurstream.discover(true), "fail", "crash");

        assertThat(run.exit()).isEqualTo(Blurstream.EXIT_FAILURE);
        assertThat(run.err()).contains("\tat io.blurstream.cli.TestCommands$Fail.run");
    }

    @Test
    void theCommandsExitCodeIsReturned() {
        assertThat(CommandLine.run("fail", "exit").exit()).isEqualTo(3);
    }

    @Test
    void withJsonTheLastStdoutLineIsTheOnlyJsonLine() throws Exception {
        CommandLine run =
                CommandLine.run("echo", "kernel", "--windows", "96,336", "--json", "--batch=8");

        assertThat(run.exit()).isEqualTo(Blurstream.EXIT_OK);
        List<String> lines = run.outLines();
        assertThat(lines).hasSizeGreaterThan(1);
        assertThat(lines.subList(0, lines.size() - 1)).noneMatch(line -> line.startsWith("{"));
        JsonNode json = new ObjectMapper().readTree(run.lastOutLine());
        assertThat(json.get("suite").asText()).isEqualTo("kernel");
        assertThat(json.get("batch").asInt()).isEqualTo(8);
        assertThat(json.get("windows").toString()).isEqualTo("[96,336]");
        assertThat(json.get("quick").asBoolean()).isFalse();
        assertThat(run.err()).isEqualTo("echoing 5 values\n");
    }

    @Test
    void withoutJsonThereIsNoJsonLine() {
        CommandLine run = CommandLine.run("echo", "--quick");

        assertThat(run.exit()).isEqualTo(Blurstream.EXIT_OK);
        assertThat(run.outLines()).noneMatch(line -> line.startsWith("{"));
        assertThat(run.outLines()).contains("quick    true");
    }

    @Test
    void commandNamesMustBeUniqueAndWellFormed() {
        assertThatThrownBy(
                        () ->
                                new Blurstream(
                                        List.of(
                                                new TestCommands.Echo(),
                                                TestCommands.named("echo")),
                                        false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two commands are named 'echo'");
        assertThatThrownBy(() -> new Blurstream(List.of(TestCommands.named("Bench Kernel")), false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("invalid command name 'Bench Kernel'");
    }

    @Test
    void anEmptyClasspathSaysSo() {
        CommandLine run = CommandLine.run(new Blurstream(List.of(), false), "--help");

        assertThat(run.out()).contains("No commands found on the classpath.");
    }
}
