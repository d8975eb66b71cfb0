package io.blurstream.cli.models;

import io.blurstream.cli.Arguments;
import io.blurstream.cli.Blurstream;
import io.blurstream.cli.Command;
import io.blurstream.cli.Console;
import io.blurstream.cli.KafkaClientSettings;
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
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/** {@code blurstream refit}: the continuous refit service beside a running forecast job. */
public final class RefitCommand implements Command {

    /**
     * The {@code --json} summary.
     *
     * @param refits refits brought to an end: skipped, discarded, swapped in, rejected, or (shadow
     *     stage) promoted or retired after their trial
     */
    public record Summary(
            int refits,
            int published,
            int swapped,
            int shadowing,
            int promoted,
            int retired,
            int rejected,
            int discarded,
            int skipped,
            long servingVersion) {}

    /** Outcomes that end a refit; {@code published} and {@code shadowing} are on the way. */
    private static final Set<String> FINAL_OUTCOMES =
            Set.of(
                    RefitDecision.SKIPPED,
                    RefitDecision.DISCARDED,
                    RefitDecision.SWAPPED,
                    RefitDecision.REJECTED,
                    RefitDecision.PROMOTED,
                    RefitDecision.RETIRED);

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
        and the job swaps it in. With --stage shadow the job runs it beside the
        serving version instead, and the service follows the live errors of
        both on the evaluations topic: after --trial paired forecasts it
        promotes the shadow if its MAE is lower by --margin, else retires it.
        Every decision (skipped, discarded, published, swapped, shadowing,
        promoted, retired, rejected) goes to the refit log topic and to the
        terminal.
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
          --trial N           shadow stage: paired live forecasts before the
                              verdict [200]
          --trial-minutes M   shadow stage: a trial without a verdict after M
                              minutes retires the shadow [30]
          --rows-topic T, --models-topic T, --events-topic T,
          --evaluations-topic T, --log-topic T
                              [fused-rows, models, model-events, evaluations,
                              refit-log]
          --max-refits N      stop after N refits have ended [run until Ctrl-C]
          --kafka-config F    Kafka client settings (security.protocol, sasl.*,
                              ssl.*, ...) as a properties file [none]
          --json              end with one JSON line: refits, published, swapped,
                              shadowing, promoted, retired, rejected, discarded,
                              skipped, servingVersion

        Example:
          blurstream refit --bootstrap-servers localhost:9092 --key models.key \\
              --model models/ETTh1-blur-96.json --group transformer-1
        """;
    }

    @Override
    public int run(Arguments args, Console console) throws Exception {
        args.checkOptions(
                KafkaClientSettings.OPTION,
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
                "trial",
                "trial-minutes",
                "rows-topic",
                "models-topic",
                "events-topic",
                "evaluations-topic",
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
                        stage,
                        args.integer("trial", 200),
                        Duration.ofMinutes(args.integer("trial-minutes", 30)));
        int maxRefits = args.integer("max-refits", 0);
        RefitService.Topics topics =
                new RefitService.Topics(
                        args.string("rows-topic", "fused-rows"),
                        args.string("models-topic", "models"),
                        args.string("events-topic", "model-events"),
                        args.string("evaluations-topic", "evaluations"),
                        args.string("log-topic", "refit-log"));
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        AtomicInteger refits = new AtomicInteger();
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
                        KafkaClientSettings.of(args),
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
                            counts.computeIfAbsent(decision.outcome(), k -> new AtomicInteger())
                                    .incrementAndGet();
                            if (FINAL_OUTCOMES.contains(decision.outcome())
                                    && refits.incrementAndGet() == maxRefits) {
                                service[0].stop();
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
            ToIntFunction<String> count =
                    outcome -> counts.getOrDefault(outcome, new AtomicInteger()).get();
            Summary summary =
                    new Summary(
                            refits.get(),
                            count.applyAsInt(RefitDecision.PUBLISHED),
                            count.applyAsInt(RefitDecision.SWAPPED),
                            count.applyAsInt(RefitDecision.SHADOWING),
                            count.applyAsInt(RefitDecision.PROMOTED),
                            count.applyAsInt(RefitDecision.RETIRED),
                            count.applyAsInt(RefitDecision.REJECTED),
                            count.applyAsInt(RefitDecision.DISCARDED),
                            count.applyAsInt(RefitDecision.SKIPPED),
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
                                + summary.promoted()
                                + " promoted and "
                                + summary.retired()
                                + " retired after a trial, "
                                + summary.rejected()
                                + " rejected, "
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
