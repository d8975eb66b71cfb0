package io.blurstream.job;

import java.time.Duration;
import java.util.Arrays;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The forecast job's entry point: the main class of the job jar that {@code flink run} submits to a
 * cluster, and of {@code blurstream job}, which runs it on a local MiniCluster. Options come from
 * {@link JobConfiguration}; the job is checked (options, catalog, model, topics) before it is
 * submitted, so a mistake fails the submission with a message naming it.
 */
public final class ForecastJobMain {

    static final String USAGE =
            """
            Usage: flink run [Flink options] blurstream-job.jar [--config FILE] [--KEY VALUE]...

            Runs the Blurstream forecast job: Kafka sensor readings, event-time
            alignment per source group, sliding windows, BLUR forecasts to Kafka,
            with models hot-swapped from the model topic. --config names a YAML
            file of options; --KEY VALUE sets one option and overrides the file.
            Keys outside blur. are Flink options for the job's environment.

            Options:
            """;

    private ForecastJobMain() {}

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help")) {
            System.out.print(USAGE + OptionsReference.text());
            return;
        }
        run(JobConfiguration.parse(args));
    }

    /** Checks the job the options describe and runs it in the environment of this context. */
    public static void run(Configuration options) throws Exception {
        ForecastJob job = ForecastJob.fromConfiguration(options, false);
        job.checkTopicsExist(Duration.ofSeconds(30));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(options);
        job.addTo(env);
        env.execute(options.get(ForecastJobOptions.JOB_NAME));
    }
}
