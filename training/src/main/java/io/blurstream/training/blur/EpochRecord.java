package io.blurstream.training.blur;

/**
 * One point of the learning curves.
 *
 * @param epoch 1-based
 * @param trainLoss mean training loss (MSE in standardised units, with dropout) over the epoch
 * @param validationMse validation MSE after the epoch
 * @param validationMae validation MAE after the epoch
 * @param learningRate the rate at the epoch's last step
 * @param seconds wall time of the epoch, training and validation
 */
public record EpochRecord(
        int epoch,
        double trainLoss,
        double validationMse,
        double validationMae,
        double learningRate,
        double seconds) {}
