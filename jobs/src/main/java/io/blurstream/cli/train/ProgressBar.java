package io.blurstream.cli.train;

import io.blurstream.cli.Console;
import io.blurstream.training.blur.EpochRecord;
import io.blurstream.training.blur.TrainingProgress;
import java.util.Locale;

/**
 * A one-line progress bar on stderr (when it is a terminal), redrawn at most every 200 ms: epoch,
 * step, running loss and the time left in the run if every remaining epoch takes as long as the
 * steps so far. Each finished epoch leaves a line with its validation figures.
 */
final class ProgressBar implements TrainingProgress {

    private static final int WIDTH = 24;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final Console console;
    private final int epochs;
    private final long started = System.nanoTime();
    private long lastDraw;
    private long stepsDone;

    ProgressBar(Console console, int epochs) {
        this.console = console;
        this.epochs = epochs;
    }

    @Override
    public void step(int epoch, int step, int stepsPerEpoch, double loss) {
        stepsDone++;
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS && step < stepsPerEpoch) {
            return;
        }
        lastDraw = now;
        int filled = (int) ((long) WIDTH * step / stepsPerEpoch);
        double perStep = (now - started) / 1e9 / stepsDone;
        long stepsLeft = (long) (epochs - epoch) * stepsPerEpoch + (stepsPerEpoch - step);
        console.status(
                String.format(
                        Locale.ROOT,
                        "epoch %d/%d [%s%s] step %d/%d loss %.4f  ETA %s   ",
                        epoch,
                        epochs,
                        "#".repeat(filled),
                        ".".repeat(WIDTH - filled),
                        step,
                        stepsPerEpoch,
                        loss,
                        duration(perStep * stepsLeft)));
    }

    @Override
    public void epoch(EpochRecord record, boolean best) {
        console.clearStatus();
        console.info(
                String.format(
                        Locale.ROOT,
                        "epoch %d: train loss %.4f  val mse %.4f mae %.4f  lr %.2e  %.1f s%s",
                        record.epoch(),
                        record.trainLoss(),
                        record.validationMse(),
                        record.validationMae(),
                        record.learningRate(),
                        record.seconds(),
                        best ? "  (best)" : ""));
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }
}
