package io.blurstream.cli.models;

import io.blurstream.cli.Arguments;
import io.blurstream.cli.Blurstream;
import io.blurstream.cli.Command;
import io.blurstream.cli.Console;
import io.blurstream.model.BlurModel;
import io.blurstream.model.io.ModelCodec;
import io.blurstream.model.update.UpdateKeys;
import io.blurstream.model.update.UpdateStage;
import io.blurstream.training.blur.TrainingOptions;
import io.blurstream.training.refit.RefitDecision;
import io.blurstream.training.refit.RefitService;
import io.blurstream.training.refit.RefitSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code blurstream refit}: the continuous refit service beside a running forecast job. */
public final class RefitCommand implements Command {

    /** The {@code --json} summary. */
    public record Summary(
            int refits,
            int published,
            int swapped,
            int rejected,
            int discarded,
            int skipped,
            long servingVersion) {}

    @Override
    public String name() {
        return "refit";
    }

    @Override
    public String summary() {
        return "Refit a serving model on the live fused rows and swap better versions in";
    }

    @Override
    public String usage() {
        return """
        Usage: blurstream refit --bootstrap-servers S --key FILE --model FILE --group G [options]

        Reads the fused rows of group G that the forecast job writes, keeps the
        newest --capacity of them, and every --every new rows fine-tunes the
        serving version of the model (warm start) for --epochs. The candidate
        is compared with the serving version on the newest --held-out rows,
        which it never trained on; if its MSE is lower by --margin it is signed
        and published as the next version, with the figures in its metadata,
        and the job swaps it in. Every decision (skipped, discarded, published,
        swapped, rejected) goes to the refit log topic and to the terminal.
        On start the service finds the serving version and the rows in Kafka,
        so it survives restarts; Ctrl-C stops it cleanly.

        Options:
          --model FILE        the model to refit when the topics name no newer
                              serving version of its id (its id is the one refit)
          --group G           the catalog group whose rows train it
          --key FILE          the signing key (see blurstream keygen)
          --every N           rows between refits [500]
          --every-hours H     ... or hours of event time between refits [off]
          --capacity N        rows kept for training [3000]
          --validation N      rows for early stopping [400]
          --held-out N        newest rows the candidate is judged on [400]
          --margin M          required improvement of the held-out MSE [0.02]
          --epochs E, --batch B, --lr R, --threads T    fine-tuning budget [3, 32, 5e-4, cores]
          --stage S           publish as serve or shadow [serve]
          --rows-topic T, --models-topic T, --events-topic T, --log-topic T
                              [fused-rows, models, model-events, refit-log]
          --max-refits N      stop after N refits [run until Ctrl-C]
          --json              end with one JSON line: refits, published, swapped,
                              rejected, discarded, skipped, servingVersion

        Example:
          blurstream refit --bootstrap-servers localhost:9092 --key models.key \\
              --model models/ETTh1-blur-96.json --group transformer-1
        """;
    }

    @Override
    public int run(Arguments args, Console console) throws Exception {
        args.checkOptions(
                "bootstrap-servers",
                "key",
                "model",
                "group",
                "every",
                "every-hours",
                "capacity",
                "validation",
                "held-out",
                "margin",
                "epochs",
                "batch",
                "lr",
                "threads",
                "stage",
                "rows-topic",
                "models-topic",
                "events-topic",
                "log-topic",
                "max-refits",
                "json");
        args.checkPositionals(0);
        String servers = args.requiredString("bootstrap-servers");
        BlurModel initial = ModelCodec.read(Path.of(args.requiredString("model")));
        String group = args.requiredString("group");
        UpdateStage stage;
        try {
            stage = UpdateStage.ofWireName(args.string("stage", "serve"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--stage: " + e.getMessage());
        }
        TrainingOptions training =
                new TrainingOptions(
                        args.integer("epochs", 3),
                        args.integer("batch", 32),
                        args.decimal("lr", 5e-4),
                        0.5,
                        0.01,
                        TrainingOptions.Schedule.COSINE,
                        0.5,
                        0.5,
                        1.0,
                        2,
                        1,
                        args.integer("threads", Runtime.getRuntime().availableProcessors()));
        RefitSettings settings =
                new RefitSettings(
                        args.integer("capacity", 3000),
                        args.integer("every", 500),
                        args.integer("every-hours", 0) * 3_600_000L,
                        args.integer("validation", 400),
                        args.integer("held-out", 400),
                        args.decimal("margin", 0.02),
                        training,
                        stage);
        int maxRefits = args.integer("max-refits", 0);
        RefitService.Topics topics =
                new RefitService.Topics(
                        args.string("rows-topic", "fused-rows"),
                        args.string("models-topic", "models"),
                        args.string("events-topic", "model-events"),
                        args.string("log-topic", "refit-log"));
        AtomicInteger[] counts = new AtomicInteger[6];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new AtomicInteger();
        }
        RefitService[] service = new RefitService[1];
        CountDownLatch finished = new CountDownLatch(1);
        Thread stopper =
                new Thread(
                        () -> {
                            service[0].stop();
                            try {
                                finished.await(60, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "blurstream-refit-stop");
        try (RefitService refit =
                new RefitService(
                        servers,
                        topics,
                        group,
                        initial,
                        UpdateKeys.signerFromFile(Path.of(args.requiredString("key"))),
                        settings,
                        Clock.systemUTC(),
                        decision -> {
                            console.info(
                                    decision.outcome()
                                            + " "
                                            + decision.modelId()
                                            + " v"
                                            + decision.candidateVersion()
                                            + " (from v"
                                            + decision.basedOnVersion()
                                            + ", "
                                            + decision.rows()
                                            + " rows): "
                                            + decision.reason());
                            int index =
                                    switch (decision.outcome()) {
                                        case RefitDecision.PUBLISHED -> 1;
                                        case RefitDecision.SWAPPED -> 2;
                                        case RefitDecision.REJECTED -> 3;
                                        case RefitDecision.DISCARDED -> 4;
                                        default -> 5;
                                    };
                            counts[index].incrementAndGet();
                            if (index != 2 && index != 3) {
                                int refits = counts[0].incrementAndGet();
                                if (maxRefits > 0 && refits >= maxRefits) {
                                    service[0].stop();
                                }
                            }
                        })) {
            service[0] = refit;
            Runtime.getRuntime().addShutdownHook(stopper);
            console.info(
                    "refitting "
                            + initial.modelId()
                            + " on the rows of "
                            + group
                            + " from "
                            + servers
                            + "; Ctrl-C stops");
            refit.run();
            Summary summary =
                    new Summary(
                            counts[0].get(),
                            counts[1].get(),
                            counts[2].get(),
                            counts[3].get(),
                            counts[4].get(),
                            counts[5].get(),
                            refit.servingVersion());
            if (console.json()) {
                console.printJson(summary);
            } else {
                console.println(
                        summary.refits()
                                + " refits: "
                                + summary.published()
                                + " published, "
                                + summary.swapped()
                                + " swapped in, "
                                + summary.discarded()
                                + " discarded, "
                                + summary.skipped()
                                + " skipped; serving v"
                                + summary.servingVersion());
            }
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException | IllegalArgumentException shuttingDown) {
                // the hook is running (Ctrl-C) or was never added
            }
        }
        return Blurstream.EXIT_OK;
    }
}
