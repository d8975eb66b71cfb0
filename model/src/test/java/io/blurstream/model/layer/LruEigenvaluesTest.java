package io.blurstream.model.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Stability as a property: whatever ν and θ training produces, the compiled |λ| stays below 1. */
class LruEigenvaluesTest {

    @Test
    void magnitudeBelowOneForAnyParameters() {
        SplittableRandom random = new SplittableRandom(42);
        float[] extremes = {
            -Float.MAX_VALUE,
            -1e30f,
            -100f,
            -40f,
            -17f,
            -16.5f,
            -10f,
            -1f,
            0f,
            1f,
            10f,
            88f,
            89f,
            1e30f,
            Float.MAX_VALUE,
            -0f,
            Float.MIN_VALUE
        };
        for (float nu : extremes) {
            for (float theta : extremes) {
                assertStable(nu, theta);
            }
        }
        for (int i = 0; i < 200_000; i++) {
            // spread over many orders of magnitude, both signs
            float nu =
                    (float)
                            (Math.signum(random.nextDouble() - 0.5)
                                    * Math.pow(10, random.nextDouble(-6, 6)));
            float theta =
                    (float)
                            (Math.signum(random.nextDouble() - 0.5)
                                    * Math.pow(10, random.nextDouble(-6, 6)));
            assertStable(nu, theta);
        }
    }

    private static void assertStable(float nu, float theta) {
        double re = LruEigenvalues.real(nu, theta);
        double im = LruEigenvalues.imaginary(nu, theta);
        assertThat(Double.isFinite(re) && Double.isFinite(im))
                .as("finite λ for ν=%s θ=%s", nu, theta)
                .isTrue();
        assertThat(Math.hypot(re, im)).as("|λ| for ν=%s θ=%s", nu, theta).isLessThan(1.0);
    }

    @Test
    void followsTheParametrisationAwayFromTheCaps() {
        double nu = Math.log(-Math.log(0.9));
        double theta = Math.log(0.7);
        assertThat((double) LruEigenvalues.real(nu, theta))
                .isCloseTo(0.9 * Math.cos(0.7), org.assertj.core.data.Offset.offset(1e-7));
        assertThat((double) LruEigenvalues.imaginary(nu, theta))
                .isCloseTo(0.9 * Math.sin(0.7), org.assertj.core.data.Offset.offset(1e-7));
    }
}
