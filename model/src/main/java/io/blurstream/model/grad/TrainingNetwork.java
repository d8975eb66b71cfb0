package io.blurstream.model.grad;

import io.blurstream.model.BlurConfig;
import io.blurstream.model.BlurParameters;
import io.blurstream.model.ParameterLayout;
import io.blurstream.model.kernel.Activations;
import io.blurstream.model.kernel.Gemm;
import io.blurstream.model.kernel.WorkerPool;
import java.util.Arrays;

/**
 * BLUR with a backward pass: the loss of a batch of sequences and its gradient for every tensor.
 *
 * <p>Works on sequences in normalised units, as {@link io.blurstream.model.layer.BlurNetwork} does:
 * input {@code W × C_in} per sequence, output {@code F × C_out}. The loss is a weighted sum of
 * squared errors, {@code Σ_q Σ_f Σ_c w[q,c]·(out[q,f,c] - target[q,f,c])²}; the caller chooses the
 * weights (RevIN passes each window's variance, so the error counts in standardised units).
 *
 * <p><b>Parallelism and reproducibility.</b> A batch is cut into slices of a fixed number of
 * sequences (about {@link #TARGET_ROWS} rows). Each slice runs forward and backward on one worker,
 * into a gradient buffer of its own; the buffers are then summed in slice order. The result is the
 * same, bit for bit, whatever the number of threads.
 *
 * <p>The parameters are read live: call {@link #prepare()} after every update, before the next
 * step. After the scratch is sized, steps allocate nothing except the pool's task object.
 */
public final class TrainingNetwork {

    /** Rows of one slice: large enough for efficient products, small enough to stay in L3. */
    static final int TARGET_ROWS = 1536;

    private final BlurConfig config;
    private final BlurParameters parameters;
    private final int window;
    private final int horizon;
    private final int inputChannels;
    private final int outputChannels;
    private final int width;
    private final int layers;
    private final int sliceSequences;
    private final float dropout;

    private final float[] encoderWeight;
    private final float[] encoderBias;
    private final float[][] normWeight;
    private final float[][] normBias;
    private final float[][] skip;
    private final float[][] gluWeight;
    private final float[][] gluBias;
    private final float[][] gluWeightT;
    private final DiagonalLruGrad[] lrus;

    /** Per block, the names of its norm weight and bias, D, GLU weight and bias (built once). */
    private final String[][] blockNames;

    private final float[] headNormWeight;
    private final float[] headNormBias;
    private final float[] timeWeight;
    private final float[] timeWeightT;
    private final float[] timeBias;
    private final float[] channelWeight;
    private final float[] channelBias;
    private final float[] channelWeightT;
    private final float[] channelColumnSums;

    // Offsets of the packed gradients in a slice buffer
    private final int gEncoderWeight;
    private final int gEncoderBias;
    private final int[] gNormWeight;
    private final int[] gNormBias;
    private final int[] gLru;
    private final int[] gSkip;
    private final int[] gGluWeight;
    private final int[] gGluBias;
    private final int gHeadNormWeight;
    private final int gHeadNormBias;
    private final int gTimeWeight;
    private final int gTimeBias;
    private final int gChannelWeight;
    private final int gChannelBias;
    private final int gradientSize;

    public TrainingNetwork(BlurConfig config, BlurParameters parameters) {
        if (!parameters.layout().specs().equals(ParameterLayout.of(config).specs())) {
            throw new IllegalArgumentException("parameters do not belong to this configuration");
        }
        this.config = config;
        this.parameters = parameters;
        this.window = config.window();
        this.horizon = config.horizon();
        this.inputChannels = config.inputChannels();
        this.outputChannels = config.outputChannels();
        this.width = config.hidden();
        this.layers = config.layers();
        this.sliceSequences = Math.max(1, TARGET_ROWS / window);
        this.dropout = (float) config.dropout();
        int h = width;
        this.encoderWeight = parameters.get("encoder.weight");
        this.encoderBias = parameters.get("encoder.bias");
        this.normWeight = new float[layers][];
        this.normBias = new float[layers][];
        this.skip = new float[layers][];
        this.gluWeight = new float[layers][];
        this.gluBias = new float[layers][];
        this.gluWeightT = new float[layers][2 * h * h];
        this.lrus = new DiagonalLruGrad[layers];
        this.blockNames = new String[layers][];
        for (int i = 0; i < layers; i++) {
            String block = ParameterLayout.block(i);
            blockNames[i] =
                    new String[] {
                        block + ".norm.weight",
                        block + ".norm.bias",
                        block + ".D",
                        block + ".glu.weight",
                        block + ".glu.bias"
                    };
            normWeight[i] = parameters.get(block + ".norm.weight");
            normBias[i] = parameters.get(block + ".norm.bias");
            skip[i] = parameters.get(block + ".D");
            gluWeight[i] = parameters.get(block + ".glu.weight");
            gluBias[i] = parameters.get(block + ".glu.bias");
            String[] names =
                    ParameterLayout.directions(config).stream()
                            .map(d -> block + "." + d)
                            .toArray(String[]::new);
            lrus[i] = new DiagonalLruGrad(names, h, config.state());
        }
        this.headNormWeight = parameters.get("head.norm.weight");
        this.headNormBias = parameters.get("head.norm.bias");
        this.timeWeight = parameters.get("head.time.weight");
        this.timeWeightT = new float[window * horizon];
        this.timeBias = parameters.get("head.time.bias");
        this.channelWeight = parameters.get("head.channel.weight");
        this.channelBias = parameters.get("head.channel.bias");
        this.channelWeightT = new float[outputChannels * h];
        this.channelColumnSums = new float[outputChannels];

        int next = 0;
        gEncoderWeight = next;
        next += inputChannels * h;
        gEncoderBias = next;
        next += h;
        gNormWeight = new int[layers];
        gNormBias = new int[layers];
        gLru = new int[layers];
        gSkip = new int[layers];
        gGluWeight = new int[layers];
        gGluBias = new int[layers];
        for (int i = 0; i < layers; i++) {
            gNormWeight[i] = next;
            next += h;
            gNormBias[i] = next;
            next += h;
            gLru[i] = next;
            next += lrus[i].gradientSize();
            gSkip[i] = next;
            next += h;
            gGluWeight[i] = next;
            next += 2 * h * h;
            gGluBias[i] = next;
            next += 2 * h;
        }
        gHeadNormWeight = next;
        next += h;
        gHeadNormBias = next;
        next += h;
        gTimeWeight = next;
        next += horizon * window;
        gTimeBias = next;
        next += horizon;
        gChannelWeight = next;
        next += h * outputChannels;
        gChannelBias = next;
        next += outputChannels;
        gradientSize = next;
        prepare();
    }

    public BlurConfig config() {
        return config;
    }

    /** Recomputes the derived tensors (λ, packed and transposed matrices) after an update. */
    public void prepare() {
        int h = width;
        for (int i = 0; i < layers; i++) {
            lrus[i].prepare(parameters);
            Transpose.apply(gluWeight[i], 0, h, 2 * h, gluWeightT[i]);
        }
        Transpose.apply(timeWeight, 0, horizon, window, timeWeightT);
        Transpose.apply(channelWeight, 0, h, outputChannels, channelWeightT);
        for (int c = 0; c < outputChannels; c++) {
            double sum = 0;
            for (int j = 0; j < h; j++) {
                sum += channelWeight[j * outputChannels + c];
            }
            channelColumnSums[c] = (float) sum;
        }
    }

    /** Scratch for batches of up to {@code maxSequences} sequences on up to {@code threads}. */
    public Scratch newScratch(int maxSequences, int threads) {
        return new Scratch(maxSequences, threads);
    }

    /**
     * Computes the loss of a batch and writes its gradient, scaled by {@code 1/normalizer}, to
     * {@code gradients} (overwritten).
     *
     * @param inputs {@code sequences × W × C_in}, normalised
     * @param targets {@code sequences × F × C_out}, in the network's output units
     * @param weights {@code sequences × C_out} weights of the squared errors
     * @param normalizer the loss is divided by this (e.g. the number of target values)
     * @param dropoutSeed seeds the dropout masks of this step (ignored without dropout)
     * @param training whether dropout is active
     * @return the weighted sum of squared errors (not divided by {@code normalizer})
     */
    public double lossAndGradient(
            float[] inputs,
            float[] targets,
            float[] weights,
            int sequences,
            double normalizer,
            long dropoutSeed,
            boolean training,
            BlurGradients gradients,
            Scratch scratch,
            WorkerPool pool) {
        checkBatch(inputs, targets, sequences, scratch, pool);
        if (weights.length < sequences * outputChannels) {
            throw new IllegalArgumentException(
                    "weights need "
                            + sequences * outputChannels
                            + " values, got "
                            + weights.length);
        }
        int slices = (sequences + sliceSequences - 1) / sliceSequences;
        float gradientScale = (float) (1.0 / normalizer);
        Scratch.Call call = scratch.call;
        call.inputs = inputs;
        call.targets = targets;
        call.weights = weights;
        call.sequences = sequences;
        call.gradientScale = gradientScale;
        call.dropoutSeed = dropoutSeed;
        call.dropped = training && dropout > 0;
        run(slices, scratch.gradientTask, pool);
        float[] total = scratch.sliceGradients[0];
        double loss = scratch.sliceLoss[0];
        for (int slice = 1; slice < slices; slice++) {
            float[] part = scratch.sliceGradients[slice];
            for (int k = 0; k < gradientSize; k++) {
                total[k] += part[k];
            }
            loss += scratch.sliceLoss[slice];
        }
        unpack(total, gradients);
        return loss;
    }

    /**
     * Forward pass only, without dropout: {@code sequences × F × C_out} into {@code outputs}. It
     * equals inference up to float rounding; use it to check training against serving.
     */
    public void forward(
            float[] inputs, int sequences, float[] outputs, Scratch scratch, WorkerPool pool) {
        checkBatch(inputs, outputs, sequences, scratch, pool);
        int slices = (sequences + sliceSequences - 1) / sliceSequences;
        Scratch.Call call = scratch.call;
        call.inputs = inputs;
        call.outputs = outputs;
        call.sequences = sequences;
        run(slices, scratch.forwardTask, pool);
    }

    private static void run(int slices, WorkerPool.Task task, WorkerPool pool) {
        if (pool == null) {
            for (int slice = 0; slice < slices; slice++) {
                task.run(slice, 0);
            }
        } else {
            pool.run(slices, task);
        }
    }

    /** Forward, loss and backward of one slice into its own gradient buffer. */
    private void gradientSlice(Scratch scratch, int slice, int worker) {
        Scratch.Call call = scratch.call;
        int first = slice * sliceSequences;
        int count = Math.min(sliceSequences, call.sequences - first);
        float[] grads = scratch.sliceGradients[slice];
        Arrays.fill(grads, 0f);
        Cache cache = scratch.caches[worker];
        // each slice draws its masks from its own stream: independent of which worker runs it
        cache.randomState = call.dropoutSeed * 0x9E3779B97F4A7C15L + slice;
        forward(call.inputs, first, count, cache, call.dropped);
        scratch.sliceLoss[slice] =
                lossGradient(call.targets, call.weights, first, count, call.gradientScale, cache);
        backward(call.inputs, first, count, cache, call.dropped, grads);
    }

    private void forwardSlice(Scratch scratch, int slice, int worker) {
        Scratch.Call call = scratch.call;
        int first = slice * sliceSequences;
        int count = Math.min(sliceSequences, call.sequences - first);
        Cache cache = scratch.caches[worker];
        forward(call.inputs, first, count, cache, false);
        int outSize = horizon * outputChannels;
        System.arraycopy(cache.output, 0, call.outputs, first * outSize, count * outSize);
    }

    /** SplitMix64: a fast, well-mixed 64-bit stream from a single long of state. */
    private static long nextRandom(Cache cache) {
        long z = (cache.randomState += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private void checkBatch(
            float[] inputs, float[] outputs, int sequences, Scratch scratch, WorkerPool pool) {
        if (pool != null && pool.threads() > scratch.caches.length) {
            throw new IllegalArgumentException(
                    "the scratch was sized for "
                            + scratch.caches.length
                            + " threads, the pool has "
                            + pool.threads());
        }
        if (sequences < 1 || sequences > scratch.maxSequences) {
            throw new IllegalArgumentException(
                    "sequences must be in [1, " + scratch.maxSequences + "], got " + sequences);
        }
        if (inputs.length < sequences * window * inputChannels
                || outputs.length < sequences * horizon * outputChannels) {
            throw new IllegalArgumentException(
                    "batch arrays are too short for " + sequences + " sequences");
        }
    }

    private void forward(float[] inputs, int first, int count, Cache c, boolean dropped) {
        int h = width;
        int rows = count * window;
        // encoder
        Gemm.multiply(
                rows,
                h,
                inputChannels,
                inputs,
                first * window * inputChannels,
                inputChannels,
                encoderWeight,
                0,
                h,
                c.x[0],
                0,
                h,
                encoderBias,
                false);
        for (int i = 0; i < layers; i++) {
            LayerNormGrad.forward(
                    c.x[i], c.z[i], rows, h, normWeight[i], normBias[i], c.mean[i], c.rstd[i]);
            lrus[i].forward(c.z[i], c.states[i], c.y[i], count, window, c.carry);
            float[] y = c.y[i];
            float[] z = c.z[i];
            float[] d = skip[i];
            for (int r = 0; r < rows; r++) {
                int row = r * h;
                for (int j = 0; j < h; j++) {
                    y[row + j] += d[j] * z[row + j];
                }
            }
            float[] act = c.act[i];
            System.arraycopy(y, 0, act, 0, rows * h);
            Activations.geluWithDerivative(act, 0, rows * h, y, 0);
            Gemm.multiply(
                    rows,
                    2 * h,
                    h,
                    act,
                    0,
                    h,
                    gluWeight[i],
                    0,
                    2 * h,
                    c.glu[i],
                    0,
                    2 * h,
                    gluBias[i],
                    false);
            Activations.glu(c.glu[i], rows, h, c.gated);
            float[] xIn = c.x[i];
            float[] xOut = c.x[i + 1];
            if (dropped) {
                float[] mask = c.mask[i];
                float keep = 1f / (1f - dropout);
                // four 16-bit uniforms per random long: the mask costs a quarter of the calls
                int threshold = (int) Math.round(dropout * 65536.0);
                int size = rows * h;
                for (int k = 0; k < size; k += 4) {
                    long bits = nextRandom(c);
                    for (int lane = 0; lane < 4 && k + lane < size; lane++) {
                        int uniform = (int) (bits >>> (16 * lane)) & 0xFFFF;
                        mask[k + lane] = uniform < threshold ? 0f : keep;
                    }
                }
                for (int k = 0; k < size; k++) {
                    xOut[k] = xIn[k] + c.gated[k] * mask[k];
                }
            } else {
                for (int k = 0; k < rows * h; k++) {
                    xOut[k] = xIn[k] + c.gated[k];
                }
            }
        }
        // head: LayerNorm, channel map, then the time map over all sequences at once
        LayerNormGrad.forward(
                c.x[layers],
                c.headNorm,
                rows,
                h,
                headNormWeight,
                headNormBias,
                c.mean[layers],
                c.rstd[layers]);
        int wide = count * outputChannels;
        Gemm.multiplyTransposed(
                rows,
                outputChannels,
                h,
                c.headNorm,
                0,
                h,
                channelWeightT,
                0,
                h,
                c.projected,
                0,
                outputChannels);
        for (int q = 0; q < count; q++) {
            for (int t = 0; t < window; t++) {
                for (int ch = 0; ch < outputChannels; ch++) {
                    c.projectedT[t * wide + q * outputChannels + ch] =
                            c.projected[(q * window + t) * outputChannels + ch];
                }
            }
        }
        Gemm.multiply(
                horizon,
                wide,
                window,
                timeWeight,
                0,
                window,
                c.projectedT,
                0,
                wide,
                c.outputT,
                0,
                wide,
                null,
                false);
        for (int q = 0; q < count; q++) {
            for (int f = 0; f < horizon; f++) {
                for (int ch = 0; ch < outputChannels; ch++) {
                    c.output[(q * horizon + f) * outputChannels + ch] =
                            c.outputT[f * wide + q * outputChannels + ch]
                                    + timeBias[f] * channelColumnSums[ch]
                                    + channelBias[ch];
                }
            }
        }
    }

    /** Loss of the slice; leaves {@code ∂loss/∂output · scale} in the cache's output gradient. */
    private double lossGradient(
            float[] targets, float[] weights, int first, int count, float scale, Cache c) {
        double loss = 0;
        int wide = count * outputChannels;
        for (int q = 0; q < count; q++) {
            for (int f = 0; f < horizon; f++) {
                for (int ch = 0; ch < outputChannels; ch++) {
                    int o = (q * horizon + f) * outputChannels + ch;
                    float w = weights[(first + q) * outputChannels + ch];
                    float err = c.output[o] - targets[first * horizon * outputChannels + o];
                    loss += (double) w * err * err;
                    c.outputGradT[f * wide + q * outputChannels + ch] = 2 * w * err * scale;
                }
            }
        }
        return loss;
    }

    private void backward(
            float[] inputs, int first, int count, Cache c, boolean dropped, float[] grads) {
        int h = width;
        int rows = count * window;
        int wide = count * outputChannels;
        float[] gT = c.outputGradT;
        // head biases, and the bias term of the folded head (b_T[f]·colsum(W_c)[ch])
        for (int f = 0; f < horizon; f++) {
            for (int q = 0; q < count; q++) {
                for (int ch = 0; ch < outputChannels; ch++) {
                    float g = gT[f * wide + q * outputChannels + ch];
                    grads[gChannelBias + ch] += g;
                    grads[gTimeBias + f] += g * channelColumnSums[ch];
                    c.columnTerm[ch] += g * timeBias[f];
                }
            }
        }
        for (int ch = 0; ch < outputChannels; ch++) {
            for (int j = 0; j < h; j++) {
                grads[gChannelWeight + j * outputChannels + ch] += c.columnTerm[ch];
            }
            c.columnTerm[ch] = 0;
        }
        // dT += gT · projectedᵀ ; d(projectedT) = Tᵀ · gT
        Transpose.apply(c.projectedT, 0, window, wide, c.transposed);
        Gemm.multiply(
                horizon,
                window,
                wide,
                gT,
                0,
                wide,
                c.transposed,
                0,
                window,
                grads,
                gTimeWeight,
                window,
                null,
                true);
        Gemm.multiply(
                window,
                wide,
                horizon,
                timeWeightT,
                0,
                horizon,
                gT,
                0,
                wide,
                c.projectedT,
                0,
                wide,
                null,
                false);
        // channel map: dW_c += headNormᵀ·dProjected ; dHeadNorm = dProjected·W_cᵀ
        Arrays.fill(c.dx, 0, rows * h, 0f);
        for (int q = 0; q < count; q++) {
            for (int t = 0; t < window; t++) {
                int r = q * window + t;
                for (int ch = 0; ch < outputChannels; ch++) {
                    float g = c.projectedT[t * wide + q * outputChannels + ch];
                    int wRow = ch * h;
                    for (int j = 0; j < h; j++) {
                        grads[gChannelWeight + j * outputChannels + ch] +=
                                g * c.headNorm[r * h + j];
                        c.dz[r * h + j] =
                                (ch == 0 ? 0f : c.dz[r * h + j]) + g * channelWeightT[wRow + j];
                    }
                }
            }
        }
        LayerNormGrad.backward(
                c.x[layers],
                c.dz,
                rows,
                h,
                headNormWeight,
                c.mean[layers],
                c.rstd[layers],
                c.dx,
                grads,
                gHeadNormWeight,
                gHeadNormBias);
        for (int i = layers - 1; i >= 0; i--) {
            blockBackward(i, rows, count, c, dropped, grads);
        }
        // encoder
        Gemm.multiplyTransposedA(
                inputChannels,
                h,
                rows,
                inputs,
                first * window * inputChannels,
                inputChannels,
                c.dx,
                0,
                h,
                grads,
                gEncoderWeight,
                h,
                true);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < h; j++) {
                grads[gEncoderBias + j] += c.dx[r * h + j];
            }
        }
    }

    /** {@code c.dx} holds ∂L/∂x_{i+1} on entry and ∂L/∂x_i on return. */
    private void blockBackward(
            int i, int rows, int count, Cache c, boolean dropped, float[] grads) {
        int h = width;
        int size = rows * h;
        float[] dg = c.dz;
        if (dropped) {
            float[] mask = c.mask[i];
            for (int k = 0; k < size; k++) {
                dg[k] = c.dx[k] * mask[k];
            }
        } else {
            System.arraycopy(c.dx, 0, dg, 0, size);
        }
        Activations.gluBackward(c.glu[i], dg, rows, h, c.dGlu);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < 2 * h; j++) {
                grads[gGluBias[i] + j] += c.dGlu[r * 2 * h + j];
            }
        }
        Gemm.multiplyTransposedA(
                h,
                2 * h,
                rows,
                c.act[i],
                0,
                h,
                c.dGlu,
                0,
                2 * h,
                grads,
                gGluWeight[i],
                2 * h,
                true);
        float[] dy = c.dy;
        Gemm.multiply(rows, h, 2 * h, c.dGlu, 0, 2 * h, gluWeightT[i], 0, h, dy, 0, h, null, false);
        float[] derivative = c.y[i];
        for (int k = 0; k < size; k++) {
            dy[k] *= derivative[k];
        }
        float[] z = c.z[i];
        float[] d = skip[i];
        float[] dz = c.dz;
        for (int r = 0; r < rows; r++) {
            int row = r * h;
            for (int j = 0; j < h; j++) {
                grads[gSkip[i] + j] += z[row + j] * dy[row + j];
                dz[row + j] = d[j] * dy[row + j];
            }
        }
        lrus[i].backward(
                z, c.states[i], dy, dz, count, window, c.stateGrad, c.carry, grads, gLru[i]);
        LayerNormGrad.backward(
                c.x[i],
                dz,
                rows,
                h,
                normWeight[i],
                c.mean[i],
                c.rstd[i],
                c.dx,
                grads,
                gNormWeight[i],
                gNormBias[i]);
    }

    private void unpack(float[] g, BlurGradients out) {
        copy(g, gEncoderWeight, out.get("encoder.weight"));
        copy(g, gEncoderBias, out.get("encoder.bias"));
        for (int i = 0; i < layers; i++) {
            String[] block = blockNames[i];
            copy(g, gNormWeight[i], out.get(block[0]));
            copy(g, gNormBias[i], out.get(block[1]));
            lrus[i].toParameterGradients(parameters, g, gLru[i], out);
            copy(g, gSkip[i], out.get(block[2]));
            copy(g, gGluWeight[i], out.get(block[3]));
            copy(g, gGluBias[i], out.get(block[4]));
        }
        copy(g, gHeadNormWeight, out.get("head.norm.weight"));
        copy(g, gHeadNormBias, out.get("head.norm.bias"));
        copy(g, gTimeWeight, out.get("head.time.weight"));
        copy(g, gTimeBias, out.get("head.time.bias"));
        copy(g, gChannelWeight, out.get("head.channel.weight"));
        copy(g, gChannelBias, out.get("head.channel.bias"));
    }

    private static void copy(float[] from, int off, float[] to) {
        System.arraycopy(from, off, to, 0, to.length);
    }

    /** Activations of one slice, kept from the forward pass for the backward pass. */
    private final class Cache {
        final float[][] x = new float[layers + 1][];
        final float[][] z = new float[layers][];
        final float[][] states = new float[layers][];

        /** Pre-activation y in the forward pass, replaced by GELU'(y) for the backward pass. */
        final float[][] y = new float[layers][];

        final float[][] act = new float[layers][];
        final float[][] glu = new float[layers][];
        final float[][] mask = new float[layers][];
        final float[][] mean = new float[layers + 1][];
        final float[][] rstd = new float[layers + 1][];
        final float[] gated;
        final float[] dx;
        final float[] dz;
        final float[] dy;
        final float[] dGlu;
        final float[] stateGrad;
        final float[] transposed;
        final float[] carry;
        final float[] headNorm;
        final float[] projected;
        final float[] projectedT;
        final float[] outputT;
        final float[] output;
        final float[] outputGradT;
        final float[] columnTerm;
        long randomState;

        Cache() {
            int rows = sliceSequences * window;
            int h = width;
            int packed = lrus[0].packedWidth();
            for (int i = 0; i <= layers; i++) {
                x[i] = new float[rows * h];
                mean[i] = new float[rows];
                rstd[i] = new float[rows];
            }
            for (int i = 0; i < layers; i++) {
                z[i] = new float[rows * h];
                states[i] = new float[rows * packed];
                y[i] = new float[rows * h];
                act[i] = new float[rows * h];
                glu[i] = new float[rows * 2 * h];
                mask[i] = dropout > 0 ? new float[rows * h] : null;
            }
            gated = new float[rows * h];
            dx = new float[rows * h];
            dz = new float[rows * h];
            dy = new float[rows * h];
            dGlu = new float[rows * 2 * h];
            stateGrad = new float[rows * packed];
            int wide = sliceSequences * outputChannels;
            transposed = new float[window * wide];
            carry = new float[packed];
            headNorm = new float[rows * h];
            projected = new float[rows * outputChannels];
            projectedT = new float[window * wide];
            outputT = new float[horizon * wide];
            output = new float[horizon * wide];
            outputGradT = new float[horizon * wide];
            columnTerm = new float[outputChannels];
        }
    }

    /** Per-thread activations and per-slice gradient buffers for batches of a bounded size. */
    public final class Scratch {
        private final int maxSequences;
        private final Cache[] caches;
        private final float[][] sliceGradients;
        private final double[] sliceLoss;
        private final Call call = new Call();
        private final WorkerPool.Task gradientTask =
                (slice, worker) -> gradientSlice(this, slice, worker);
        private final WorkerPool.Task forwardTask =
                (slice, worker) -> forwardSlice(this, slice, worker);

        /** The arguments of the call in progress, read by the tasks (no per-call lambdas). */
        private static final class Call {
            float[] inputs;
            float[] targets;
            float[] weights;
            float[] outputs;
            int sequences;
            float gradientScale;
            long dropoutSeed;
            boolean dropped;
        }

        private Scratch(int maxSequences, int threads) {
            if (maxSequences < 1 || threads < 1) {
                throw new IllegalArgumentException(
                        "maxSequences and threads must be >= 1, got "
                                + maxSequences
                                + ", "
                                + threads);
            }
            this.maxSequences = maxSequences;
            this.caches = new Cache[threads];
            for (int t = 0; t < threads; t++) {
                caches[t] = new Cache();
            }
            int slices = (maxSequences + sliceSequences - 1) / sliceSequences;
            this.sliceGradients = new float[slices][gradientSize];
            this.sliceLoss = new double[slices];
        }
    }
}
