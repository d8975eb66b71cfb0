package io.blurstream.training.refit;

import io.blurstream.model.update.UpdateStage;
import io.blurstream.training.blur.TrainingOptions;

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
 * @param stage how a better candidate is published: serve at once, or shadow for a live trial
 */
public record RefitSettings(
        int capacityRows,
        int everyRows,
        long everyEventMillis,
        int validationRows,
        int heldOutRows,
        double margin,
        TrainingOptions training,
        UpdateStage stage) {

    public RefitSettings {
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
