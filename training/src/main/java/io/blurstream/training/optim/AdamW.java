package io.blurstream.training.optim;

import io.blurstream.model.ParameterGroup;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, "Decoupled Weight Decay Regularization",
 * ICLR 2019), the update PyTorch's {@code torch.optim.AdamW} makes:
 *
 * <pre>
 * p ← p · (1 − lr·wd)                      decay, independent of the gradient
 * m ← β1·m + (1 − β1)·g                    v ← β2·v + (1 − β2)·g²
 * p ← p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
 * </pre>
 *
 * With weight decay 0 this is plain Adam ({@code torch.optim.Adam}).
 *
 * <p><b>Groups.</b> Each {@link ParameterGroup} has its own learning-rate multiplier and weight
 * decay. The defaults follow the LRU literature: {@code DENSE} trains at the full rate with decay
 * 0.01 (PyTorch's AdamW default); {@code RECURRENT} (the eigenvalue parameters {@code ν, θ, γ} and
 * the input map {@code B}) at half the rate and without decay, because decay pulls {@code ν}
 * towards zero, i.e. the eigenvalues' magnitude {@code exp(−exp(ν))} towards {@code 1/e}, away from
 * the long memory the ring initialisation chose.
 *
 * <p><b>Which tensors decay.</b> Only tensors of rank 2 or more (weight matrices). Vectors (biases,
 * LayerNorm weights and biases, the skip {@code D}) never decay: shrinking a norm's gain or a bias
 * towards zero is not regularisation, it just fights the layer. {@link
 * Builder#decayVectors(boolean)} turns the rule off.
 *
 * <p><b>Precision.</b> Moments are float32, as the parameters are, so the state costs two floats
 * per parameter. The bias corrections {@code 1 − βᵗ} are computed in double once per step, since
 * {@code β2ᵗ} in float loses most of its digits after a few thousand steps; the per-element update
 * then runs in float with no allocation.
 *
 * <p>Not thread-safe: one optimiser per training loop.
 */
public final class AdamW {

    /** Learning-rate multiplier and weight decay of one {@link ParameterGroup}. */
    public record GroupSettings(double learningRateMultiplier, double weightDecay) {
        public GroupSettings {
            if (!(learningRateMultiplier > 0 && Double.isFinite(learningRateMultiplier))) {
                throw new IllegalArgumentException(
                        "learning-rate multiplier must be finite and > 0, got "
                                + learningRateMultiplier);
            }
            if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) {
                throw new IllegalArgumentException(
                        "weight decay must be finite and >= 0, got " + weightDecay);
            }
        }
    }

    /**
     * A snapshot of the optimiser's state, keyed by tensor name, so that a run can be resumed or a
     * new model warm-started from a saved one. The arrays are copies.
     *
     * @param steps updates made so far (the {@code t} of the bias corrections)
     * @param firstMoments {@code m} per tensor
     * @param secondMoments {@code v} per tensor
     */
    public record State(
            long steps, Map<String, float[]> firstMoments, Map<String, float[]> secondMoments) {}

    private final List<TrainableTensor> tensors;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final Map<ParameterGroup, GroupSettings> groups;
    private final boolean decayVectors;
    private final float[][] m;
    private final float[][] v;
    private long steps;

    private AdamW(Builder builder, List<TrainableTensor> tensors) {
        this.tensors = List.copyOf(tensors);
        this.beta1 = builder.beta1;
        this.beta2 = builder.beta2;
        this.epsilon = builder.epsilon;
        this.groups = Collections.unmodifiableMap(new EnumMap<>(builder.groups));
        this.decayVectors = builder.decayVectors;
        this.m = new float[this.tensors.size()][];
        this.v = new float[this.tensors.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = new float[this.tensors.get(i).size()];
            v[i] = new float[this.tensors.get(i).size()];
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Applies one update to every tensor from its current gradients. The gradients are left as they
     * are; clear them before accumulating the next batch.
     *
     * @param learningRate the base rate for this step (typically {@code schedule.rate(step)}),
     *     multiplied per group by {@link GroupSettings#learningRateMultiplier()}
     */
    public void step(double learningRate) {
        if (!(learningRate >= 0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException(
                    "learning rate must be finite and >= 0, got " + learningRate);
        }
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2Sqrt = Math.sqrt(1 - Math.pow(beta2, steps));
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        float eps = (float) epsilon;
        float correction2SqrtF = (float) correction2Sqrt;
        for (int t = 0; t < m.length; t++) {
            TrainableTensor tensor = tensors.get(t);
            GroupSettings settings = groups.get(tensor.group());
            double lr = learningRate * settings.learningRateMultiplier();
            float keep = (float) (1 - lr * decayOf(tensor));
            float stepSize = (float) (lr / correction1);
            float[] p = tensor.values();
            float[] g = tensor.grads();
            float[] mt = m[t];
            float[] vt = v[t];
            for (int i = 0; i < p.length; i++) {
                float gi = g[i];
                float mi = b1 * mt[i] + oneMinusB1 * gi;
                float vi = b2 * vt[i] + oneMinusB2 * gi * gi;
                mt[i] = mi;
                vt[i] = vi;
                float denominator = (float) Math.sqrt(vi) / correction2SqrtF + eps;
                p[i] = p[i] * keep - stepSize * mi / denominator;
            }
        }
    }

    /** The weight decay applied to {@code tensor}: its group's, or 0 for a vector. */
    public double decayOf(TrainableTensor tensor) {
        if (tensor.rank() < 2 && !decayVectors) {
            return 0;
        }
        return groups.get(tensor.group()).weightDecay();
    }

    /** Updates made so far. */
    public long steps() {
        return steps;
    }

    /** The tensors this optimiser updates, in the order given to the builder. */
    public List<TrainableTensor> tensors() {
        return tensors;
    }

    public GroupSettings settings(ParameterGroup group) {
        return groups.get(group);
    }

    /** A copy of the step count and the moments of every tensor, keyed by tensor name. */
    public State exportState() {
        Map<String, float[]> first = new LinkedHashMap<>();
        Map<String, float[]> second = new LinkedHashMap<>();
        for (int t = 0; t < m.length; t++) {
            first.put(tensors.get(t).name(), m[t].clone());
            second.put(tensors.get(t).name(), v[t].clone());
        }
        return new State(
                steps, Collections.unmodifiableMap(first), Collections.unmodifiableMap(second));
    }

    /**
     * Replaces the step count and moments with copies of {@code state}'s. Every tensor must be
     * present with its exact size, and no other: a partial import would leave some moments at zero
     * with a step count that assumes they are warm, which makes the first updates far too large.
     *
     * @throws IllegalArgumentException naming the first missing, unknown or mis-sized tensor
     */
    public void importState(State state) {
        if (state.steps() < 0) {
            throw new IllegalArgumentException("state.steps must be >= 0, got " + state.steps());
        }
        Set<String> names = new HashSet<>();
        for (int t = 0; t < m.length; t++) {
            TrainableTensor tensor = tensors.get(t);
            names.add(tensor.name());
            checkMoment(state.firstMoments(), "firstMoments", tensor);
            checkMoment(state.secondMoments(), "secondMoments", tensor);
        }
        for (Map<String, float[]> moments : List.of(state.firstMoments(), state.secondMoments())) {
            for (String name : moments.keySet()) {
                if (!names.contains(name)) {
                    throw new IllegalArgumentException(
                            "state has moments for '"
                                    + name
                                    + "', which this optimiser does not train");
                }
            }
        }
        for (int t = 0; t < m.length; t++) {
            String name = tensors.get(t).name();
            m[t] = state.firstMoments().get(name).clone();
            v[t] = state.secondMoments().get(name).clone();
        }
        steps = state.steps();
    }

    private static void checkMoment(
            Map<String, float[]> moments, String field, TrainableTensor tensor) {
        float[] moment = moments.get(tensor.name());
        if (moment == null) {
            throw new IllegalArgumentException(
                    "state." + field + " has no entry for '" + tensor.name() + "'");
        }
        if (moment.length != tensor.size()) {
            throw new IllegalArgumentException(
                    "state."
                            + field
                            + "['"
                            + tensor.name()
                            + "'] has "
                            + moment.length
                            + " values, the tensor "
                            + tensor.size());
        }
    }

    /** Settings checked as they are given; {@link #build} checks the tensors. */
    public static final class Builder {
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private final Map<ParameterGroup, GroupSettings> groups =
                new EnumMap<>(ParameterGroup.class);
        private boolean decayVectors;

        private Builder() {
            groups.put(ParameterGroup.DENSE, new GroupSettings(1.0, 0.01));
            groups.put(ParameterGroup.RECURRENT, new GroupSettings(0.5, 0.0));
        }

        /** Decay of the first moment, in {@code [0, 1)}; default 0.9. */
        public Builder beta1(double beta1) {
            this.beta1 = checkBeta("beta1", beta1);
            return this;
        }

        /** Decay of the second moment, in {@code [0, 1)}; default 0.999. */
        public Builder beta2(double beta2) {
            this.beta2 = checkBeta("beta2", beta2);
            return this;
        }

        /** Added to the denominator, {@code > 0}; default 1e-8. */
        public Builder epsilon(double epsilon) {
            if (!(epsilon > 0 && Double.isFinite(epsilon))) {
                throw new IllegalArgumentException(
                        "epsilon must be finite and > 0, got " + epsilon);
            }
            this.epsilon = epsilon;
            return this;
        }

        /** Settings of one group; defaults: DENSE ×1.0 with decay 0.01, RECURRENT ×0.5 without. */
        public Builder group(
                ParameterGroup group, double learningRateMultiplier, double weightDecay) {
            groups.put(group, new GroupSettings(learningRateMultiplier, weightDecay));
            return this;
        }

        /** Sets the weight decay of every group to 0: plain Adam. */
        public Builder noWeightDecay() {
            groups.replaceAll((g, s) -> new GroupSettings(s.learningRateMultiplier(), 0.0));
            return this;
        }

        /** Whether rank-1 tensors (biases, norm weights) decay too; default false. */
        public Builder decayVectors(boolean decayVectors) {
            this.decayVectors = decayVectors;
            return this;
        }

        /**
         * @throws IllegalArgumentException if {@code tensors} is empty or two share a name (state
         *     is keyed by name)
         */
        public AdamW build(List<TrainableTensor> tensors) {
            if (tensors.isEmpty()) {
                throw new IllegalArgumentException("AdamW needs at least one tensor to train");
            }
            Set<String> names = new HashSet<>();
            for (TrainableTensor tensor : tensors) {
                if (!names.add(tensor.name())) {
                    throw new IllegalArgumentException(
                            "two tensors are named '" + tensor.name() + "'");
                }
            }
            return new AdamW(this, tensors);
        }

        private static double checkBeta(String name, double beta) {
            if (!(beta >= 0 && beta < 1)) {
                throw new IllegalArgumentException(name + " must be in [0, 1), got " + beta);
            }
            return beta;
        }
    }
}
