package io.blurstream.training.refit;

import io.blurstream.model.BlurModel;
import io.blurstream.model.kernel.WorkerPool;
import io.blurstream.training.blur.BlurTrainer;
import io.blurstream.training.blur.SplitEvaluator;
import io.blurstream.training.blur.TrainingProgress;
import io.blurstream.training.blur.TrainingResult;
import io.blurstream.training.data.ForecastProtocol;
import io.blurstream.training.data.ForecastSplits;
import io.blurstream.training.data.SplitBorders;
import io.blurstream.training.data.TimeSeriesTable;

/**
 * One refit: fine-tunes the serving model on the rolling rows and judges the candidate against it
 * on the newest rows, which neither training nor early stopping has seen.
 *
 * <p>The rows are cut in time order into training, validation ({@code validationRows}, for early
 * stopping) and held-out ({@code heldOutRows}) parts, the standard protocol's way with its own
 * borders: the scaler is fitted on the training rows, and both models forecast the held-out windows
 * as they would serve (raw windows in, their own scalers) with the errors measured in that common
 * standardised space. The candidate wins when its MSE is below {@code (1 - margin)} times the
 * champion's.
 */
public final class Refitter {

    private final RefitSettings settings;

    public Refitter(RefitSettings settings) {
        this.settings = settings;
    }

    /**
     * The verdict of a refit.
     *
     * @param candidate the fine-tuned model (version still the champion's), or null if it could not
     *     be trained (too few rows)
     * @param better whether it beats the champion by the margin
     */
    public record Outcome(
            BlurModel candidate,
            boolean better,
            double championMse,
            double candidateMse,
            int trainWindows,
            int heldOutWindows,
            String reason) {

        /** The same verdict told with another reason. */
        public Outcome withReason(String newReason) {
            return new Outcome(
                    candidate,
                    better,
                    championMse,
                    candidateMse,
                    trainWindows,
                    heldOutWindows,
                    newReason);
        }
    }

    /** Fine-tunes {@code champion} on {@code rows} and compares the two. */
    public Outcome refit(BlurModel champion, TimeSeriesTable rows) {
        int window = champion.config().window();
        int horizon = champion.config().horizon();
        int needed = window + horizon;
        int validationEnd = rows.rows() - settings.heldOutRows();
        int trainEnd = validationEnd - settings.validationRows();
        if (trainEnd < needed
                || settings.validationRows() < horizon + 1
                || settings.heldOutRows() < horizon + 1) {
            return new Outcome(
                    null,
                    false,
                    Double.NaN,
                    Double.NaN,
                    0,
                    0,
                    "too few rows: "
                            + rows.rows()
                            + " held, a refit of a "
                            + window
                            + "-row window and "
                            + horizon
                            + "-step horizon needs validation and held-out parts above "
                            + horizon
                            + " rows and "
                            + needed
                            + " rows to train on");
        }
        ForecastSplits splits =
                ForecastProtocol.MULTIVARIATE.splits(
                        rows,
                        new SplitBorders(trainEnd, validationEnd, rows.rows()),
                        rows.columns().get(rows.channels() - 1),
                        window,
                        horizon);
        BlurTrainer trainer =
                new BlurTrainer(
                        champion.config(), splits, settings.training(), TrainingProgress.SILENT);
        TrainingResult result = trainer.train(champion.modelId(), champion.parameters());
        BlurModel candidate = result.model();
        double championMse;
        double candidateMse;
        int threads = settings.training().threads();
        try (WorkerPool pool = threads > 1 ? new WorkerPool(threads) : null) {
            championMse = SplitEvaluator.evaluateAsServed(champion, splits.test(), pool).mse();
            candidateMse = SplitEvaluator.evaluateAsServed(candidate, splits.test(), pool).mse();
        }
        boolean better = candidateMse < (1 - settings.margin()) * championMse;
        String reason =
                String.format(
                        "held-out MSE %.4f against the serving model's %.4f (%s by the %.0f%%"
                                + " margin)",
                        candidateMse,
                        championMse,
                        better ? "better" : "not better",
                        settings.margin() * 100);
        return new Outcome(
                candidate,
                better,
                championMse,
                candidateMse,
                splits.train().count(),
                splits.test().count(),
                reason);
    }
}
