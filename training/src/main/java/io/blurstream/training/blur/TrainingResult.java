package io.blurstream.training.blur;

import io.blurstream.model.BlurModel;
import io.blurstream.training.eval.ErrorAccumulator;
import java.util.List;

/**
 * The outcome of a run: the model with the best validation MSE, the learning curves, and its errors
 * on the validation and test splits (standardised units, per horizon step).
 */
public record TrainingResult(
        BlurModel model,
        List<EpochRecord> curve,
        int bestEpoch,
        ErrorAccumulator validation,
        ErrorAccumulator test,
        boolean stoppedEarly) {

    public TrainingResult {
        curve = List.copyOf(curve);
    }
}
