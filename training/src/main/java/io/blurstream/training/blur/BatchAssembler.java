package io.blurstream.training.blur;

import io.blurstream.model.BlurConfig;
import io.blurstream.model.ChannelMode;
import io.blurstream.model.Forecaster;
import io.blurstream.training.data.WindowedSplit;

/**
 * Turns standardised windows into the network's training batch, exactly as {@link Forecaster}
 * prepares windows for inference: optional RevIN per window and channel, then one sequence per
 * window (channel mixing) or one per window and channel (channel-independent).
 *
 * <p>Under RevIN the network predicts {@code (y - μ)/σ}; the loss must count errors in standardised
 * units, {@code σ²·(out - (y - μ)/σ)²}, so each sequence and output channel gets the weight {@code
 * σ²}. Without RevIN every weight is 1.
 */
final class BatchAssembler {

    private final int window;
    private final int horizon;
    private final int channels;
    private final boolean independent;
    private final boolean revin;
    final float[] inputs;
    final float[] targets;
    final float[] weights;
    private final float[] windowBuffer;
    private final float[] targetBuffer;
    private int sequences;

    BatchAssembler(BlurConfig config, int maxWindows) {
        this.window = config.window();
        this.horizon = config.horizon();
        this.channels = config.channelCount();
        this.independent = config.channelMode() == ChannelMode.INDEPENDENT;
        this.revin = config.revin();
        this.inputs = new float[maxWindows * window * channels];
        this.targets = new float[maxWindows * horizon * channels];
        this.weights = new float[maxWindows * channels];
        this.windowBuffer = new float[window * channels];
        this.targetBuffer = new float[horizon * channels];
    }

    /** Sequences of the batch assembled last. */
    int sequences() {
        return sequences;
    }

    /** Fills the batch from windows {@code indices[from, to)} of {@code source}. */
    void assemble(WindowedSplit source, int[] indices, int from, int to) {
        int count = to - from;
        for (int b = 0; b < count; b++) {
            source.copyInput(indices[from + b], windowBuffer, 0);
            source.copyTarget(indices[from + b], targetBuffer, 0);
            for (int c = 0; c < channels; c++) {
                float mu = 0;
                float sigma = 1;
                if (revin) {
                    double sum = 0;
                    for (int t = 0; t < window; t++) {
                        sum += windowBuffer[t * channels + c];
                    }
                    double mean = sum / window;
                    double squares = 0;
                    for (int t = 0; t < window; t++) {
                        double d = windowBuffer[t * channels + c] - mean;
                        squares += d * d;
                    }
                    mu = (float) mean;
                    sigma = (float) Math.sqrt(squares / window + Forecaster.REVIN_EPS);
                }
                float inverse = 1f / sigma;
                for (int t = 0; t < window; t++) {
                    inputs[inputIndex(b, t, c)] = (windowBuffer[t * channels + c] - mu) * inverse;
                }
                for (int k = 0; k < horizon; k++) {
                    targets[targetIndex(b, k, c)] = (targetBuffer[k * channels + c] - mu) * inverse;
                }
                weights[b * channels + c] = sigma * sigma;
            }
        }
        sequences = independent ? count * channels : count;
    }

    private int inputIndex(int b, int t, int c) {
        return independent ? (b * channels + c) * window + t : (b * window + t) * channels + c;
    }

    private int targetIndex(int b, int k, int c) {
        return independent ? (b * channels + c) * horizon + k : (b * horizon + k) * channels + c;
    }
}
