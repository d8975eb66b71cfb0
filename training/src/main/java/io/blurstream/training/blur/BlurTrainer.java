package io.blurstream.training.blur;

import io.blurstream.model.BlurConfig;
import io.blurstream.model.BlurModel;
import io.blurstream.model.BlurParameters;
import io.blurstream.model.ModelInitializer;
import io.blurstream.model.ParameterGroup;
import io.blurstream.model.grad.BlurGradients;
import io.blurstream.model.grad.TrainingNetwork;
import io.blurstream.model.kernel.WorkerPool;
import io.blurstream.training.data.ForecastSplits;
import io.blurstream.training.data.WindowedSplit;
import io.blurstream.training.eval.ErrorAccumulator;
import io.blurstream.training.optim.AdamW;
import io.blurstream.training.optim.GradientClipping;
import io.blurstream.training.optim.LearningRateSchedule;
import io.blurstream.training.optim.TrainableTensor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains BLUR (or its unidirectional LRU twin) on the windows of a dataset: shuffled mini-batches,
 * AdamW with the recurrent parameters in their own group, gradient clipping, a learning-rate
 * schedule, and early stopping on validation MSE that keeps the best weights.
 *
 * <p>A run is reproducible bit for bit on one machine: the seed fixes the initial weights, the
 * order of the windows in every epoch and every dropout mask, and the gradient does not depend on
 * the number of threads.
 */
public final class BlurTrainer {

    private final BlurConfig config;
    private final ForecastSplits splits;
    private final TrainingOptions options;
    private final TrainingProgress progress;

    public BlurTrainer(
            BlurConfig config,
            ForecastSplits splits,
            TrainingOptions options,
            TrainingProgress progress) {
        if (config.window() != splits.lookback() || config.horizon() != splits.horizon()) {
            throw new IllegalArgumentException(
                    "config has window "
                            + config.window()
                            + " and horizon "
                            + config.horizon()
                            + ", the splits lookback "
                            + splits.lookback()
                            + " and horizon "
                            + splits.horizon());
        }
        if (!config.channels().equals(splits.channelNames())) {
            throw new IllegalArgumentException(
                    "config.channels "
                            + config.channels()
                            + " differ from the dataset's "
                            + splits.channelNames());
        }
        this.config = config;
        this.splits = splits;
        this.options = options;
        this.progress = progress;
    }

    /** Trains from fresh weights drawn with the options' seed. */
    public TrainingResult train(String modelId) {
        return train(modelId, ModelInitializer.initialize(config, options.seed()));
    }

    /** Trains from {@code start} (a warm start); {@code start} is not modified. */
    public TrainingResult train(String modelId, BlurParameters start) {
        BlurParameters parameters = start.copy();
        WindowedSplit train = splits.train();
        int batch = Math.min(options.batchSize(), train.count());
        int stepsPerEpoch = (train.count() + batch - 1) / batch;
        LearningRateSchedule schedule = schedule(stepsPerEpoch);
        List<TrainableTensor> tensors = TrainableTensor.of(parameters);
        AdamW optimizer =
                AdamW.builder()
                        .group(ParameterGroup.DENSE, 1.0, options.weightDecay())
                        .group(ParameterGroup.RECURRENT, options.recurrentScale(), 0.0)
                        .build(tensors);
        TrainingNetwork network = new TrainingNetwork(config, parameters);
        BatchAssembler assembler = new BatchAssembler(config, batch);
        int maxSequences = batch * (config.inputChannels() == 1 ? config.channelCount() : 1);
        TrainingNetwork.Scratch scratch = network.newScratch(maxSequences, options.threads());
        BlurGradients gradients = new BlurGradients(config);
        int[] order = new int[train.count()];
        List<EpochRecord> curve = new ArrayList<>();
        BlurParameters best = parameters.copy();
        double bestMse = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int sinceBest = 0;
        boolean stoppedEarly = false;
        long step = 0;
        try (WorkerPool pool = options.threads() > 1 ? new WorkerPool(options.threads()) : null) {
            for (int epoch = 1; epoch <= options.epochs(); epoch++) {
                long started = System.nanoTime();
                shuffle(order, new SplittableRandom(options.seed() * 1_000_003L + epoch));
                double lossSum = 0;
                long lossCount = 0;
                double rate = 0;
                for (int s = 0; s < stepsPerEpoch; s++) {
                    int from = s * batch;
                    int to = Math.min(order.length, from + batch);
                    assembler.assemble(train, order, from, to);
                    double normalizer =
                            (double) (to - from) * config.horizon() * config.channelCount();
                    double loss =
                            network.lossAndGradient(
                                    assembler.inputs,
                                    assembler.targets,
                                    assembler.weights,
                                    assembler.sequences(),
                                    normalizer,
                                    options.seed() * 0x5DEECE66DL + step,
                                    true,
                                    gradients,
                                    scratch,
                                    pool);
                    for (TrainableTensor tensor : tensors) {
                        float[] g = gradients.get(tensor.name());
                        System.arraycopy(g, 0, tensor.grads(), 0, g.length);
                    }
                    if (options.clipNorm() > 0) {
                        GradientClipping.clipGlobalNorm(tensors, options.clipNorm());
                    }
                    rate = schedule.rate(step);
                    optimizer.step(rate);
                    network.prepare();
                    step++;
                    lossSum += loss / normalizer;
                    lossCount++;
                    progress.step(epoch, s + 1, stepsPerEpoch, lossSum / lossCount);
                }
                ErrorAccumulator validation =
                        SplitEvaluator.evaluate(
                                model(modelId, parameters, Map.of()), splits.validation(), pool);
                EpochRecord record =
                        new EpochRecord(
                                epoch,
                                lossSum / lossCount,
                                validation.mse(),
                                validation.mae(),
                                rate,
                                (System.nanoTime() - started) / 1e9);
                curve.add(record);
                boolean improved = validation.mse() < bestMse;
                if (improved) {
                    bestMse = validation.mse();
                    bestEpoch = epoch;
                    sinceBest = 0;
                    best = parameters.copy();
                } else {
                    sinceBest++;
                }
                progress.epoch(record, improved);
                if (!Double.isFinite(validation.mse())) {
                    stoppedEarly = true;
                    break;
                }
                if (sinceBest >= options.patience() && epoch < options.epochs()) {
                    stoppedEarly = true;
                    break;
                }
            }
            BlurModel bestModel = model(modelId, best, Map.of());
            ErrorAccumulator validation =
                    SplitEvaluator.evaluate(bestModel, splits.validation(), pool);
            ErrorAccumulator test = SplitEvaluator.evaluate(bestModel, splits.test(), pool);
            return new TrainingResult(bestModel, curve, bestEpoch, validation, test, stoppedEarly);
        }
    }

    private BlurModel model(String modelId, BlurParameters parameters, Map<String, String> meta) {
        return new BlurModel(
                modelId, 1, Instant.now(), config, splits.scaler(), meta, parameters.copy());
    }

    private LearningRateSchedule schedule(int stepsPerEpoch) {
        long total = (long) options.epochs() * stepsPerEpoch;
        return switch (options.schedule()) {
            case CONSTANT -> LearningRateSchedule.constant(options.learningRate());
            case COSINE ->
                    LearningRateSchedule.warmupCosine(
                            options.learningRate(),
                            Math.min(Math.round(options.warmupEpochs() * stepsPerEpoch), total / 2),
                            total,
                            options.learningRate() * 0.01);
            case STEP ->
                    LearningRateSchedule.stepDecay(
                            options.learningRate(), options.decayGamma(), stepsPerEpoch);
        };
    }

    /** Fisher-Yates over {@code 0 .. n-1}. */
    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }
}
