package io.blurstream.cli.stream;

import io.blurstream.cli.Arguments;
import io.blurstream.cli.Blurstream;
import io.blurstream.cli.Command;
import io.blurstream.cli.Console;
import io.blurstream.cluster.ClusterSmoke;
import io.blurstream.training.data.DatasetCatalog;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code blurstream cluster-smoke}: the job jar on a real standalone Flink cluster. */
public final class ClusterSmokeCommand implements Command {

    @Override
    public String name() {
        return "cluster-smoke";
    }

    @Override
    public String summary() {
        return "Run the job jar on a real standalone Flink cluster across a savepoint and a"
                + " rescale";
    }

    @Override
    public String usage() {
        return """
        Usage: blurstream cluster-smoke [options]

        Starts a Kafka broker and a Flink session cluster on this machine, no
        Docker: a JobManager and two TaskManagers of one slot, child JVMs of
        the released Flink jars started the way Flink's scripts start them.
        Submits the job jar (jobs/target/blurstream-job.jar) with the Flink
        command line at parallelism 2, replays ETTh1 and ETTh2 as two
        transformers' sensors, stops the job with a savepoint, resubmits it
        from the savepoint at parallelism 1, replays more rows, and counts the
        forecasts: every window must be forecast exactly once across the
        restart. Takes about two minutes.

        Options:
          --rows-before N    rows per transformer before the savepoint [300]
          --rows-after N     rows per transformer after it [300]
          --work-dir DIR     broker, cluster configuration and logs
                             [a new temporary folder]
          --json             end with one JSON line: forecasts, forecastsExpected,
                             duplicates, parallelismBefore, parallelismAfter,
                             savepointRestored, savepoint, seconds
        """;
    }

    @Override
    public int run(Arguments args, Console console) throws Exception {
        args.checkOptions("rows-before", "rows-after", "work-dir", "json");
        args.checkPositionals(0);
        Path home = Path.of(System.getProperty(DatasetCatalog.HOME_PROPERTY, "."));
        Path jar = home.resolve("jobs/target/blurstream-job.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "no job jar at " + jar + "; build it with mvn -B -ntp package -DskipTests");
        }
        int before = args.integer("rows-before", 300);
        int after = args.integer("rows-after", 300);
        if (before < 100 || after < 1) {
            throw new IllegalArgumentException("--rows-before must be ≥ 100, --rows-after ≥ 1");
        }
        String workDir = args.string("work-dir", null);
        Path work =
                workDir == null
                        ? Files.createTempDirectory("blurstream-cluster")
                        : Files.createDirectories(Path.of(workDir));
        ClusterSmoke.Summary summary =
                ClusterSmoke.run(
                        new ClusterSmoke.Settings(
                                work,
                                jar,
                                home.resolve("models/ETTh1-blur-96.json"),
                                DatasetCatalog.locateDataDirectory(),
                                before,
                                after),
                        console::info);
        if (console.json()) {
            console.printJson(summary);
        } else {
            console.println(
                    String.format(
                            "forecasts %,d of %,d expected, %d duplicates; parallelism %d → %d;"
                                    + " savepoint restored: %s (%s); %.0f s",
                            summary.forecasts(),
                            summary.forecastsExpected(),
                            summary.duplicates(),
                            summary.parallelismBefore(),
                            summary.parallelismAfter(),
                            summary.savepointRestored(),
                            summary.savepoint(),
                            summary.seconds()));
        }
        boolean ok =
                summary.forecasts() == summary.forecastsExpected()
                        && summary.duplicates() == 0
                        && summary.savepointRestored();
        return ok ? Blurstream.EXIT_OK : Blurstream.EXIT_FAILURE;
    }
}
