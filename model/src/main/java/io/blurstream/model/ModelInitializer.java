package io.blurstream.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fresh weights for a configuration, reproducible from a seed.
 *
 * <p>LRUs use the ring initialisation: eigenvalue magnitudes uniform on the ring {@code [rMin,
 * rMax]} (uniform in area), phases uniform in {@code [0, maxPhase]}, stored as {@code ν = log(-log
 * |λ|)} and {@code θ = log(phase)}; {@code γ = sqrt(1 - |λ|²)} normalises the input so every state
 * starts with unit gain; {@code B ~ (N(0,1) + i N(0,1)) / sqrt(2H)}, {@code C ~ (N(0,1) + i N(0,1))
 * / sqrt(N)}, {@code D ~ N(0,1)}. The two directions of a block draw independently. Dense layers
 * use the uniform {@code ±1/sqrt(fan_in)} rule, norms start at weight 1 and bias 0.
 */
public final class ModelInitializer {

    private ModelInitializer() {}

    public static BlurParameters initialize(BlurConfig config, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, float[]> tensors = new LinkedHashMap<>();
        for (ParameterSpec spec : ParameterLayout.of(config).specs()) {
            tensors.put(spec.name(), new float[spec.size()]);
        }
        int h = config.hidden();
        int n = config.state();
        uniform(random, tensors.get("encoder.weight"), config.inputChannels());
        uniform(random, tensors.get("encoder.bias"), config.inputChannels());
        for (int i = 0; i < config.layers(); i++) {
            String block = ParameterLayout.block(i);
            fill(tensors.get(block + ".norm.weight"), 1f);
            for (String dir : ParameterLayout.directions(config)) {
                String lru = block + "." + dir;
                ringInit(random, config, n, tensors, lru);
                gaussian(random, tensors.get(lru + ".B_re"), 1 / Math.sqrt(2.0 * h));
                gaussian(random, tensors.get(lru + ".B_im"), 1 / Math.sqrt(2.0 * h));
                gaussian(random, tensors.get(lru + ".C_re"), 1 / Math.sqrt(n));
                gaussian(random, tensors.get(lru + ".C_im"), 1 / Math.sqrt(n));
            }
            gaussian(random, tensors.get(block + ".D"), 1.0);
            uniform(random, tensors.get(block + ".glu.weight"), h);
            uniform(random, tensors.get(block + ".glu.bias"), h);
        }
        fill(tensors.get("head.norm.weight"), 1f);
        uniform(random, tensors.get("head.time.weight"), config.window());
        uniform(random, tensors.get("head.time.bias"), config.window());
        uniform(random, tensors.get("head.channel.weight"), h);
        uniform(random, tensors.get("head.channel.bias"), h);
        return BlurParameters.of(config, tensors);
    }

    private static void ringInit(
            SplittableRandom random,
            BlurConfig config,
            int n,
            Map<String, float[]> tensors,
            String lru) {
        float[] nu = tensors.get(lru + ".nu");
        float[] theta = tensors.get(lru + ".theta");
        float[] gammaLog = tensors.get(lru + ".gamma_log");
        double rMin2 = config.rMin() * config.rMin();
        double rMax2 = config.rMax() * config.rMax();
        for (int s = 0; s < n; s++) {
            // magnitude² uniform in [rMin², rMax²] is uniform in the ring's area
            double u1 = random.nextDouble();
            double magnitude = Math.sqrt(u1 * (rMax2 - rMin2) + rMin2);
            // keep log|λ| strictly negative and finite even for a magnitude of exactly 0
            magnitude = Math.max(magnitude, 1e-6);
            double phase = config.maxPhase() * Math.max(random.nextDouble(), 1e-9);
            nu[s] = (float) Math.log(-Math.log(magnitude));
            theta[s] = (float) Math.log(phase);
            double lambdaAbs = Math.exp(-Math.exp(nu[s]));
            gammaLog[s] = (float) (0.5 * Math.log(1 - lambdaAbs * lambdaAbs));
        }
    }

    private static void uniform(SplittableRandom random, float[] data, int fanIn) {
        double bound = 1 / Math.sqrt(fanIn);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
    }

    private static void gaussian(SplittableRandom random, float[] data, double std) {
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (nextGaussian(random) * std);
        }
    }

    private static double nextGaussian(SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17
        double u1 = Math.max(random.nextDouble(), 1e-300);
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static void fill(float[] data, float value) {
        java.util.Arrays.fill(data, value);
    }
}
