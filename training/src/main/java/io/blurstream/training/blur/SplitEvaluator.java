package io.blurstream.training.blur;

import io.blurstream.model.BlurModel;
import io.blurstream.model.Forecaster;
import io.blurstream.model.Scaler;
import io.blurstream.model.kernel.WorkerPool;
import io.blurstream.training.data.WindowedSplit;
import io.blurstream.training.eval.ErrorAccumulator;

/**
 * Forecasts every window of a split with the inference path ({@link Forecaster}, the code that
 * serves the model) and measures MSE and MAE in standardised units.
 */
public final class SplitEvaluator {

    private static final int BATCH = 64;

    private SplitEvaluator() {}

    /**
     * Errors of {@code model} on {@code split}, per horizon step, on the standardised windows: the
     * model runs with an identity scaler. This is what training measures after every epoch.
     */
    public static ErrorAccumulator evaluate(BlurModel model, WindowedSplit split, WorkerPool pool) {
        BlurModel standardised =
                new BlurModel(
                        model.modelId(),
                        model.version(),
                        model.createdAt(),
                        model.config(),
                        Scaler.identity(model.config().channelCount()),
                        model.metadata(),
                        model.parameters());
        return run(standardised, split, pool, false);
    }

    /**
     * Errors of {@code model} on {@code split} as it would serve: it forecasts the windows as read
     * from the file, with its own scaler, and the forecasts are then standardised with the split's
     * scaler (fitted on the training rows), so the figures are comparable with the literature and
     * with {@link #evaluate}.
     */
    public static ErrorAccumulator evaluateAsServed(
            BlurModel model, WindowedSplit split, WorkerPool pool) {
        return run(model, split, pool, true);
    }

    private static ErrorAccumulator run(
            BlurModel model, WindowedSplit split, WorkerPool pool, boolean raw) {
        Forecaster forecaster = new Forecaster(model);
        Forecaster.Workspace workspace =
                pool == null
                        ? forecaster.newWorkspace(BATCH)
                        : forecaster.newWorkspace(BATCH, pool);
        int inputSize = split.inputSize();
        int targetSize = split.targetSize();
        int channels = split.channels();
        Scaler scaler = split.scaler();
        double[] rawInput = new double[inputSize];
        float[] inputs = new float[BATCH * inputSize];
        float[] targets = new float[BATCH * targetSize];
        float[] forecasts = new float[BATCH * targetSize];
        ErrorAccumulator errors = ErrorAccumulator.perStep(split.horizon());
        for (int first = 0; first < split.count(); first += BATCH) {
            int count = Math.min(BATCH, split.count() - first);
            for (int b = 0; b < count; b++) {
                if (raw) {
                    split.copyRawInput(first + b, rawInput, 0);
                    for (int i = 0; i < inputSize; i++) {
                        inputs[b * inputSize + i] = (float) rawInput[i];
                    }
                } else {
                    split.copyInput(first + b, inputs, b * inputSize);
                }
                split.copyTarget(first + b, targets, b * targetSize);
            }
            forecaster.forecast(inputs, 0, count, forecasts, 0, workspace);
            if (raw) {
                for (int i = 0; i < count * targetSize; i++) {
                    int c = i % channels;
                    forecasts[i] = (float) ((forecasts[i] - scaler.mean(c)) / scaler.std(c));
                }
            }
            for (int b = 0; b < count; b++) {
                errors.add(
                        forecasts,
                        b * targetSize,
                        targets,
                        b * targetSize,
                        split.horizon(),
                        channels);
            }
        }
        return errors;
    }
}
