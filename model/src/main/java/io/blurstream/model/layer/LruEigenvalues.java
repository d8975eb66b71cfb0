package io.blurstream.model.layer;

import io.blurstream.model.kernel.ComplexScan;

/**
 * The LRU parametrisation {@code λ = exp(-exp(ν) + i·exp(θ))}. In exact arithmetic {@code |λ| < 1}
 * for every finite {@code ν}; in floating point {@code exp(-exp(ν))} rounds to 1 for {@code ν}
 * below about -17, which would make the recurrence marginally stable or, after rounding of the
 * components, unstable. The magnitude is therefore capped at {@link #MAX_MAGNITUDE}, far enough
 * below 1 that rounding the two components to float cannot reach 1.
 */
public final class LruEigenvalues {

    /** Largest magnitude a compiled λ can have: 1 - 2^-20. */
    public static final double MAX_MAGNITUDE = 1.0 - 0x1p-20;

    /** Phases use {@code exp(θ)}; θ above this would overflow to infinity. */
    private static final double MAX_THETA = 700;

    private LruEigenvalues() {}

    /** {@code |λ| = exp(-exp(ν))}, capped at {@link #MAX_MAGNITUDE}. */
    public static double magnitude(double nu) {
        return Math.min(Math.exp(-Math.exp(nu)), MAX_MAGNITUDE);
    }

    /** {@code arg λ = exp(θ)}, with θ capped so the phase stays finite. */
    public static double phase(double theta) {
        return Math.exp(Math.min(theta, MAX_THETA));
    }

    /** Real part of λ as the kernels use it (float, tiny components flushed to zero). */
    public static float real(double nu, double theta) {
        return ComplexScan.flushTiny((float) (magnitude(nu) * Math.cos(phase(theta))));
    }

    /** Imaginary part of λ as the kernels use it. */
    public static float imaginary(double nu, double theta) {
        return ComplexScan.flushTiny((float) (magnitude(nu) * Math.sin(phase(theta))));
    }
}
