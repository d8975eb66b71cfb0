package io.blurstream.training.refit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ShadowTrialTest {

    static final long HOUR = 3_600_000;

    static ShadowTrial trial(int windows) {
        return new ShadowTrial("m", "g", 1, 2, windows, 0.1);
    }

    @Test
    void aShadowBetterByTheMarginOnThePairedWindowsIsPromoted() {
        ShadowTrial trial = trial(3);
        for (int w = 0; w < 3; w++) {
            assertThat(trial.verdict()).isEqualTo(ShadowTrial.Verdict.PENDING);
            assertThat(trial.offer("g", "m", 1, w * HOUR, 7, 1.0)).isFalse();
            assertThat(trial.offer("g", "m", 2, w * HOUR, 7, 0.8)).isTrue();
        }
        assertThat(trial.pairs()).isEqualTo(3);
        assertThat(trial.servingMae()).isEqualTo(1.0);
        assertThat(trial.shadowMae()).isCloseTo(0.8, within(1e-12));
        assertThat(trial.verdict()).isEqualTo(ShadowTrial.Verdict.PROMOTE);
        assertThat(trial.describe()).contains("0.8000", "1.0000", "3 paired", "better");
    }

    @Test
    void aShadowWithinTheMarginIsRetired() {
        ShadowTrial trial = trial(2);
        // shadow first this time: pairs form whichever version is scored first
        trial.offer("g", "m", 2, 0, 7, 0.95);
        trial.offer("g", "m", 1, 0, 7, 1.0);
        trial.offer("g", "m", 2, HOUR, 7, 0.95);
        trial.offer("g", "m", 1, HOUR, 7, 1.0);
        assertThat(trial.verdict()).isEqualTo(ShadowTrial.Verdict.RETIRE);
        assertThat(trial.describe()).contains("not better");
    }

    @Test
    void onlyTheSameWindowScoredForBothVersionsMakesAPair() {
        ShadowTrial trial = trial(1);
        // the serving version alone before the shadow arrived, and shadow windows not yet scored
        // for the serving version
        trial.offer("g", "m", 1, 0, 7, 5.0);
        trial.offer("g", "m", 2, HOUR, 7, 0.1);
        // the same version twice (a replayed record) is no pair
        trial.offer("g", "m", 2, HOUR, 7, 0.1);
        // other groups, models and versions, and windows with nothing observed, do not count
        trial.offer("other", "m", 1, HOUR, 7, 9.0);
        trial.offer("g", "other", 1, HOUR, 7, 9.0);
        trial.offer("g", "m", 3, HOUR, 7, 9.0);
        trial.offer("g", "m", 1, HOUR, 0, 0.0);
        trial.offer("g", "m", 1, HOUR, 7, Double.NaN);
        assertThat(trial.pairs()).isZero();
        assertThat(trial.verdict()).isEqualTo(ShadowTrial.Verdict.PENDING);
        assertThat(trial.servingMae()).isNaN();

        assertThat(trial.offer("g", "m", 1, HOUR, 7, 2.0)).isTrue();
        assertThat(trial.servingMae()).isEqualTo(2.0);
        assertThat(trial.shadowMae()).isEqualTo(0.1);
        assertThat(trial.verdict()).isEqualTo(ShadowTrial.Verdict.PROMOTE);
    }

    @Test
    void windowsWaitingForTheirPairAreBounded() {
        ShadowTrial trial = trial(1);
        for (int w = 0; w <= ShadowTrial.UNPAIRED_LIMIT; w++) {
            trial.offer("g", "m", 1, w * HOUR, 7, 1.0);
        }
        // the oldest was dropped: its shadow score finds no pair, the newest's does
        assertThat(trial.offer("g", "m", 2, 0, 7, 0.5)).isFalse();
        assertThat(trial.offer("g", "m", 2, ShadowTrial.UNPAIRED_LIMIT * HOUR, 7, 0.5)).isTrue();
    }

    @Test
    void aTrialNeedsAWindowAndTwoVersions() {
        assertThatThrownBy(() -> new ShadowTrial("m", "g", 1, 2, 0, 0.1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ShadowTrial("m", "g", 2, 2, 5, 0.1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
