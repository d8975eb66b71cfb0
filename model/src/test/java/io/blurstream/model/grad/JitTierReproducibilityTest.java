package io.blurstream.model.grad;

import static org.assertj.core.api.Assertions.assertThat;

import io.blurstream.model.BlurConfig;
import io.blurstream.model.BlurParameters;
import io.blurstream.model.ChannelMode;
import io.blurstream.model.ChildJvm;
import io.blurstream.model.Direction;
import io.blurstream.model.ModelInitializer;
import io.blurstream.model.kernel.KernelMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A training step gives the same bits whether its code runs interpreted or compiled by C2, so a
 * training run repeats bit for bit although the JIT compiles at different moments in each run. The
 * step runs here after warm-up (C2) and in a child JVM with {@code -Xint}; the gradients and the
 * loss must agree to the last bit. The shapes are multiples of the vector width, so the vector
 * kernels are on the path, not only their scalar tails.
 */
class JitTierReproducibilityTest {

    @Test
    void aTrainingStepGivesTheSameBitsInterpretedAndCompiled() throws Exception {
        String compiled = null;
        for (int round = 0; round < 400; round++) {
            compiled = fingerprint();
        }
        String interpreted = runInterpreted();
        assertThat(KernelMode.active()).isEqualTo(KernelMode.VECTOR);
        assertThat(interpreted).isEqualTo(compiled);
    }

    /** Prints the fingerprint of one training step, for the {@code -Xint} child JVM. */
    public static void main(String[] args) {
        System.out.println(KernelMode.active() + " " + fingerprint());
    }

    static String fingerprint() {
        BlurConfig config =
                BlurConfig.builder()
                        .window(32)
                        .horizon(8)
                        .channelCount(2)
                        .channelMode(ChannelMode.MIXING)
                        .hidden(32)
                        .state(16)
                        .layers(1)
                        .direction(Direction.BIDIRECTIONAL)
                        .dropout(0.1)
                        .build();
        BlurParameters params = ModelInitializer.initialize(config, 3);
        int sequences = 2;
        SplittableRandom random = new SplittableRandom(5);
        float[] inputs = new float[sequences * config.window() * config.inputChannels()];
        float[] targets = new float[sequences * config.horizon() * config.outputChannels()];
        float[] weights = new float[sequences * config.outputChannels()];
        fill(inputs, random, 3);
        fill(targets, random, 1);
        java.util.Arrays.fill(weights, 1f);
        TrainingNetwork network = new TrainingNetwork(config, params);
        BlurGradients gradients = new BlurGradients(config);
        double loss =
                network.lossAndGradient(
                        inputs,
                        targets,
                        weights,
                        sequences,
                        1,
                        17,
                        true,
                        gradients,
                        network.newScratch(sequences, 1),
                        null);
        long hash = Double.doubleToLongBits(loss);
        for (String name : gradients.names()) {
            for (float g : gradients.get(name)) {
                hash = hash * 31 + Float.floatToRawIntBits(g);
            }
        }
        return Long.toHexString(hash);
    }

    private static void fill(float[] values, SplittableRandom random, double scale) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (scale * (2 * random.nextDouble() - 1));
        }
    }

    private static String runInterpreted() throws Exception {
        String output = ChildJvm.run(JitTierReproducibilityTest.class, "-Xint");
        assertThat(output).as("the child JVM ran the vector kernels").startsWith("VECTOR ");
        return output.substring("VECTOR ".length());
    }
}
