package io.blurstream.training.refit;

import io.blurstream.model.update.UpdateStage;
import io.blurstream.training.blur.TrainingOptions;
import java.time.Duration;

/**
 * What a refit does and when.
 *
 * @param capacityRows the rolling training set: the newest rows kept
 * @param everyRows a refit starts after this many new rows
 * @param everyEventMillis ... or once the newest row is this much event time past the last refit
 *     (0: rows only)
 * @param validationRows rows before the held-out ones, for early stopping
 * @param heldOutRows the newest rows, never trained on: champion and candidate are compared here
 * @param margin the candidate must have a held-out MSE below {@code (1 - margin) ×} the champion's
 * @param training the fine-tuning budget (epochs, batch, rate, threads), started from the serving
 *     weights
 * @param stage how a better candidate is published: serve at once, or as a shadow for a live trial
 *     ({@link ShadowTrial}) that promotes or retires it
 * @param trialWindows a shadow's trial: forecasts scored for both versions before the verdict
 * @param trialTimeout a shadow's trial: wall-clock time after which a trial without its verdict
 *     retires the shadow (the job scores no forecasts, or the group stopped sending)
 */
public record RefitSettings(
        int capacityRows,
        int everyRows,
        long everyEventMillis,
        int validationRows,
        int heldOutRows,
        double margin,
        TrainingOptions training,
        UpdateStage stage,
        int trialWindows,
        Duration trialTimeout) {

    /** Settings that publish better candidates to serve at once (no shadow trial). */
    public static RefitSettings serving(
            int capacityRows,
            int everyRows,
            long everyEventMillis,
            int validationRows,
            int heldOutRows,
            double margin,
            TrainingOptions training) {
        return new RefitSettings(
                capacityRows,
                everyRows,
                everyEventMillis,
                validationRows,
                heldOutRows,
                margin,
                training,
                UpdateStage.SERVE,
                1,
                Duration.ofMinutes(30));
    }

    public RefitSettings {
        if (trialWindows < 1 || trialTimeout.isNegative() || trialTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "trialWindows must be ≥ 1 and trialTimeout positive, got "
                            + trialWindows
                            + " and "
                            + trialTimeout);
        }
        if (everyRows < 1 || validationRows < 2 || heldOutRows < 2) {
            throw new IllegalArgumentException("everyRows ≥ 1, validationRows and heldOutRows ≥ 2");
        }
        if (capacityRows <= validationRows + heldOutRows) {
            throw new IllegalArgumentException(
                    "capacityRows ("
                            + capacityRows
                            + ") must exceed validationRows + heldOutRows ("
                            + (validationRows + heldOutRows)
                            + ") to leave rows to train on");
        }
        if (!(margin >= 0 && margin < 1)) {
            throw new IllegalArgumentException("margin must be in [0, 1), got " + margin);
        }
    }
}
