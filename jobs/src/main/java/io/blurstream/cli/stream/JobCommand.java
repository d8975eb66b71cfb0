package io.blurstream.cli.stream;

import io.blurstream.cli.Arguments;
import io.blurstream.cli.Blurstream;
import io.blurstream.cli.Command;
import io.blurstream.cli.Console;
import io.blurstream.job.ForecastJobMain;
import io.blurstream.job.JobConfiguration;
import io.blurstream.job.OptionsReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;

/**
 * {@code blurstream job}: the forecast job against an existing Kafka cluster, on a local Flink
 * MiniCluster; the same entry point and options as the job jar on a Flink cluster.
 */
public final class JobCommand implements Command {

    @Override
    public String name() {
        return "job";
    }

    @Override
    public String summary() {
        return "Run the forecast job on this machine against a Kafka cluster; list its options";
    }

    @Override
    public String usage() {
        return """
        Usage: blurstream job [--config FILE] [--KEY VALUE]...
               blurstream job --markdown

        Runs the forecast job on a local Flink MiniCluster (parallelism: the
        cores of this machine, or --parallelism.default N) against the Kafka
        cluster the options name, until Ctrl-C. On a Flink cluster the same
        options go to the job jar: flink run blurstream-job.jar --config FILE.
        --config names a YAML file of options (keys nested or flat); --KEY VALUE
        sets one option and overrides the file. Keys outside blur. are Flink
        options. An unknown blur. key or a value of the wrong type stops the job
        before it starts. --markdown prints this list as docs/configuration.md.

        Example:
          blurstream job --blur.kafka.bootstrap-servers localhost:9092 \\
              --blur.catalog catalog.yaml --blur.models.key-file models.key

        Options (type, default):
        """
                + OptionsReference.text();
    }

    @Override
    public int run(Arguments args, Console console) throws Exception {
        if (args.flag("markdown")) {
            args.checkOptions("markdown");
            console.println(OptionsReference.markdown().stripTrailing());
            return Blurstream.EXIT_OK;
        }
        args.checkPositionals(0);
        // the options are checked against the job's option definitions, not a fixed list here
        List<String> argv = new ArrayList<>();
        for (String name : args.optionNames()) {
            argv.add("--" + name);
            argv.add(args.string(name, ""));
        }
        Configuration options = JobConfiguration.parse(argv.toArray(String[]::new));
        if (!options.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
            // in the JobManager's memory a checkpoint holds at most 5 MB of state per task:
            // a few hundred groups' online evaluation exceed it
            Path checkpoints = Files.createTempDirectory("blurstream-checkpoints");
            options.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
            console.info(
                    "checkpoints go to "
                            + checkpoints
                            + " (set execution.checkpointing.dir to choose)");
        }
        ForecastJobMain.run(options);
        return Blurstream.EXIT_OK;
    }
}
