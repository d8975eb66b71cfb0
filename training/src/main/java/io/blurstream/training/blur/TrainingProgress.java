package io.blurstream.training.blur;

/** Told how a run advances, e.g. to draw a progress bar. Called on the training thread. */
public interface TrainingProgress {

    /** After every optimiser step; {@code loss} is the running mean of the epoch so far. */
    default void step(int epoch, int step, int stepsPerEpoch, double loss) {}

    /** After each epoch's validation; {@code best} when it improved on every earlier epoch. */
    default void epoch(EpochRecord record, boolean best) {}

    /** Does nothing. */
    TrainingProgress SILENT = new TrainingProgress() {};
}
