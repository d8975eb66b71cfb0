package io.blurstream.training.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void constantIsConstant() {
        LearningRateSchedule constant = LearningRateSchedule.constant(0.003);
        assertThat(constant.rate(0)).isEqualTo(0.003);
        assertThat(constant.rate(Long.MAX_VALUE)).isEqualTo(0.003);
    }

    @Test
    void warmupCosineAtItsEdges() {
        LearningRateSchedule s = LearningRateSchedule.warmupCosine(1.0, 10, 110, 0.1);
        assertThat(s.rate(0)).isCloseTo(0.1, within(1e-12)); // (0 + 1) / 10: never a zero step
        assertThat(s.rate(4)).isCloseTo(0.5, within(1e-12));
        assertThat(s.rate(9)).isCloseTo(1.0, within(1e-12)); // warm-up ends at the peak
        assertThat(s.rate(10)).isCloseTo(1.0, within(1e-12)); // cosine starts at the peak
        assertThat(s.rate(60)).isCloseTo(0.55, within(1e-12)); // halfway: mean of peak and floor
        assertThat(s.rate(109))
                .isCloseTo(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.99)), within(1e-12));
        assertThat(s.rate(110)).isEqualTo(0.1);
        assertThat(s.rate(1_000_000)).isEqualTo(0.1);
        LearningRateSchedule noWarmup = LearningRateSchedule.warmupCosine(2.0, 0, 4, 0);
        assertThat(noWarmup.rate(0)).isEqualTo(2.0);
        assertThat(noWarmup.rate(2)).isCloseTo(1.0, within(1e-12));
        assertThat(noWarmup.rate(4)).isZero();
    }

    @Test
    void stepDecayMultipliesEveryPeriod() {
        LearningRateSchedule s = LearningRateSchedule.stepDecay(1.0, 0.5, 3);
        assertThat(s.rate(0)).isEqualTo(1.0);
        assertThat(s.rate(2)).isEqualTo(1.0);
        assertThat(s.rate(3)).isEqualTo(0.5);
        assertThat(s.rate(5)).isEqualTo(0.5);
        assertThat(s.rate(6)).isEqualTo(0.25);
    }

    /** Autoformer / DLinear {@code lradj=type1}: epochs 0 and 1 at the base rate, then halving. */
    @Test
    void type1HalvesFromTheThirdEpoch() {
        LearningRateSchedule s = new LearningRateSchedule.StepDecay(0.005, 0.5, 1, 2);
        assertThat(s.rate(0)).isEqualTo(0.005);
        assertThat(s.rate(1)).isEqualTo(0.005);
        assertThat(s.rate(2)).isEqualTo(0.0025);
        assertThat(s.rate(3)).isEqualTo(0.00125);
        assertThat(s.rate(9)).isEqualTo(0.005 / 256);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> LearningRateSchedule.constant(0)).hasMessageContaining("rate");
        assertThatThrownBy(() -> LearningRateSchedule.warmupCosine(1, 10, 10, 0))
                .hasMessageContaining("warmupSteps < totalSteps");
        assertThatThrownBy(() -> LearningRateSchedule.warmupCosine(1, 0, 10, 2))
                .hasMessageContaining("floor");
        assertThatThrownBy(() -> LearningRateSchedule.stepDecay(1, 1.5, 1))
                .hasMessageContaining("gamma");
        assertThatThrownBy(() -> LearningRateSchedule.constant(1).rate(-1))
                .hasMessage("step must be >= 0, got -1");
    }
}
