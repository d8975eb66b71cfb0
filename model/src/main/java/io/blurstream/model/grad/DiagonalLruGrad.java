package io.blurstream.model.grad;

import io.blurstream.model.BlurParameters;
import io.blurstream.model.kernel.ComplexScan;
import io.blurstream.model.kernel.Gemm;
import io.blurstream.model.layer.LruEigenvalues;

/**
 * The LRUs of one block (forward, and backward for BLUR) with their merging layer, for training.
 *
 * <p>Forward, as in inference: {@code V = Z·P} with the packed projection {@code P = [γ⊙Re B_f |
 * γ⊙Im B_f | γ⊙Re B_b | γ⊙Im B_b]} ({@code H × 2N·d}); the scans turn {@code V} into the states
 * {@code S} in place (kept for the backward pass); {@code Y = S·M} with {@code M = [Re C_f; -Im
 * C_f; Re C_b; -Im C_b]}.
 *
 * <p>Backward: {@code G = dY·Mᵀ} is the direct gradient of the states; the adjoint of a scan is the
 * scan in the opposite direction with {@code conj(λ)}, run in place on {@code G}, which then holds
 * the gradient of {@code V}. From there {@code dP = Zᵀ·G}, {@code dM = Sᵀ·dY}, {@code dZ = G·Pᵀ},
 * and {@code dλ = Σ_t G[t]·conj(S[t∓1])} (complex, as ∂L/∂Re + i·∂L/∂Im). Gradients are collected
 * for the packed tensors and mapped to {@code ν, θ, γ_log, B, C} once per step by {@link
 * #toParameterGradients}.
 */
final class DiagonalLruGrad {

    /** Per direction, the full names of ν, θ, γ_log, B_re, B_im, C_re, C_im (built once). */
    private final String[][] names;

    private final int width;
    private final int states;
    private final int directions;
    private final int packedWidth;
    private final float[] projection;
    private final float[] projectionT;
    private final float[] merge;
    private final float[] mergeT;
    private final float[][] lambdaRe;
    private final float[][] lambdaIm;
    private final float[][] conjLambdaIm;
    private final boolean[][] magnitudeCapped;

    /**
     * @param lruNames tensor prefixes of the directions, e.g. {@code blocks.0.forward}, {@code
     *     blocks.0.backward}; the first scans forward in time, the second backward
     */
    DiagonalLruGrad(String[] lruNames, int width, int states) {
        this.names = new String[lruNames.length][];
        for (int d = 0; d < lruNames.length; d++) {
            String lru = lruNames[d];
            names[d] =
                    new String[] {
                        lru + ".nu",
                        lru + ".theta",
                        lru + ".gamma_log",
                        lru + ".B_re",
                        lru + ".B_im",
                        lru + ".C_re",
                        lru + ".C_im"
                    };
        }
        this.width = width;
        this.states = states;
        this.directions = lruNames.length;
        this.packedWidth = 2 * states * directions;
        this.projection = new float[width * packedWidth];
        this.projectionT = new float[packedWidth * width];
        this.merge = new float[packedWidth * width];
        this.mergeT = new float[width * packedWidth];
        this.lambdaRe = new float[directions][states];
        this.lambdaIm = new float[directions][states];
        this.conjLambdaIm = new float[directions][states];
        this.magnitudeCapped = new boolean[directions][states];
    }

    int packedWidth() {
        return packedWidth;
    }

    /** Size of the packed gradients: {@code dP}, {@code dM}, then {@code dλ} (re, im) per state. */
    int gradientSize() {
        return 2 * width * packedWidth + 2 * states * directions;
    }

    /** Recomputes the packed tensors from the current parameter values. */
    void prepare(BlurParameters parameters) {
        for (int d = 0; d < directions; d++) {
            float[] nu = parameters.get(names[d][0]);
            float[] theta = parameters.get(names[d][1]);
            float[] gammaLog = parameters.get(names[d][2]);
            float[] bRe = parameters.get(names[d][3]);
            float[] bIm = parameters.get(names[d][4]);
            float[] cRe = parameters.get(names[d][5]);
            float[] cIm = parameters.get(names[d][6]);
            int reCol = 2 * states * d;
            int imCol = reCol + states;
            for (int s = 0; s < states; s++) {
                lambdaRe[d][s] = LruEigenvalues.real(nu[s], theta[s]);
                lambdaIm[d][s] = LruEigenvalues.imaginary(nu[s], theta[s]);
                conjLambdaIm[d][s] = -lambdaIm[d][s];
                magnitudeCapped[d][s] = Math.exp(-Math.exp(nu[s])) > LruEigenvalues.MAX_MAGNITUDE;
                float gamma = (float) Math.exp(gammaLog[s]);
                for (int j = 0; j < width; j++) {
                    projection[j * packedWidth + reCol + s] = gamma * bRe[j * states + s];
                    projection[j * packedWidth + imCol + s] = gamma * bIm[j * states + s];
                    merge[(reCol + s) * width + j] = cRe[s * width + j];
                    merge[(imCol + s) * width + j] = -cIm[s * width + j];
                }
            }
        }
        Transpose.apply(projection, 0, width, packedWidth, projectionT);
        Transpose.apply(merge, 0, packedWidth, width, mergeT);
    }

    /**
     * {@code y = Re(Σ_d C_d h_d)} for {@code sequences} windows of {@code length} rows of {@code
     * z}; leaves the states in {@code states} ({@code rows × packedWidth}).
     */
    void forward(
            float[] z, float[] statesOut, float[] y, int sequences, int length, float[] carry) {
        int rows = sequences * length;
        Gemm.multiply(
                rows,
                packedWidth,
                width,
                z,
                0,
                width,
                projection,
                0,
                packedWidth,
                statesOut,
                0,
                packedWidth,
                null,
                false);
        for (int q = 0; q < sequences; q++) {
            for (int d = 0; d < directions; d++) {
                java.util.Arrays.fill(carry, 0, 2 * states, 0f);
                int off = q * length * packedWidth + 2 * states * d;
                if (d == 0) {
                    ComplexScan.forward(
                            statesOut,
                            off,
                            length,
                            packedWidth,
                            states,
                            lambdaRe[d],
                            lambdaIm[d],
                            carry,
                            0);
                } else {
                    ComplexScan.backward(
                            statesOut,
                            off,
                            length,
                            packedWidth,
                            states,
                            lambdaRe[d],
                            lambdaIm[d],
                            carry,
                            0);
                }
            }
        }
        Gemm.multiply(
                rows,
                width,
                packedWidth,
                statesOut,
                0,
                packedWidth,
                merge,
                0,
                width,
                y,
                0,
                width,
                null,
                false);
    }

    /**
     * Given {@code dy}, adds the input gradient to {@code dz} and the packed gradients to {@code
     * grads} at {@code gradOff}. {@code g} ({@code rows × packedWidth}) is scratch.
     */
    void backward(
            float[] z,
            float[] statesIn,
            float[] dy,
            float[] dz,
            int sequences,
            int length,
            float[] g,
            float[] carry,
            float[] grads,
            int gradOff) {
        int rows = sequences * length;
        int dProjection = gradOff;
        int dMerge = dProjection + width * packedWidth;
        int dLambda = dMerge + packedWidth * width;
        // dM += Sᵀ·dY
        Gemm.multiplyTransposedA(
                packedWidth,
                width,
                rows,
                statesIn,
                0,
                packedWidth,
                dy,
                0,
                width,
                grads,
                dMerge,
                width,
                true);
        // G = dY·Mᵀ, then the adjoint scans
        Gemm.multiply(
                rows,
                packedWidth,
                width,
                dy,
                0,
                width,
                mergeT,
                0,
                packedWidth,
                g,
                0,
                packedWidth,
                null,
                false);
        for (int q = 0; q < sequences; q++) {
            int base = q * length * packedWidth;
            for (int d = 0; d < directions; d++) {
                java.util.Arrays.fill(carry, 0, 2 * states, 0f);
                int off = base + 2 * states * d;
                if (d == 0) {
                    ComplexScan.backward(
                            g,
                            off,
                            length,
                            packedWidth,
                            states,
                            lambdaRe[d],
                            conjLambdaIm[d],
                            carry,
                            0);
                    accumulateLambda(
                            g,
                            statesIn,
                            off + packedWidth,
                            off,
                            length - 1,
                            grads,
                            dLambda + 2 * states * d);
                } else {
                    ComplexScan.forward(
                            g,
                            off,
                            length,
                            packedWidth,
                            states,
                            lambdaRe[d],
                            conjLambdaIm[d],
                            carry,
                            0);
                    accumulateLambda(
                            g,
                            statesIn,
                            off,
                            off + packedWidth,
                            length - 1,
                            grads,
                            dLambda + 2 * states * d);
                }
            }
        }
        // dP += Zᵀ·G
        Gemm.multiplyTransposedA(
                width,
                packedWidth,
                rows,
                z,
                0,
                width,
                g,
                0,
                packedWidth,
                grads,
                dProjection,
                packedWidth,
                true);
        // dZ += G·Pᵀ
        Gemm.multiply(
                rows,
                width,
                packedWidth,
                g,
                0,
                packedWidth,
                projectionT,
                0,
                width,
                dz,
                0,
                width,
                null,
                true);
    }

    /**
     * {@code dλ += Σ G[t]·conj(S[t-1])} over {@code pairs} row pairs: gradient rows from {@code
     * gOff}, the previous states (in scan order) from {@code sOff}, both advancing by one row.
     */
    private void accumulateLambda(
            float[] g, float[] s, int gOff, int sOff, int pairs, float[] grads, int out) {
        for (int t = 0; t < pairs; t++) {
            int gr = gOff + t * packedWidth;
            int sr = sOff + t * packedWidth;
            for (int k = 0; k < states; k++) {
                float gRe = g[gr + k];
                float gIm = g[gr + states + k];
                float sRe = s[sr + k];
                float sIm = s[sr + states + k];
                grads[out + k] += gRe * sRe + gIm * sIm;
                grads[out + states + k] += gIm * sRe - gRe * sIm;
            }
        }
    }

    /** Maps the packed gradients at {@code gradOff} to the gradients of the LRU parameters. */
    void toParameterGradients(
            BlurParameters parameters, float[] grads, int gradOff, BlurGradients out) {
        int dProjection = gradOff;
        int dMerge = dProjection + width * packedWidth;
        int dLambda = dMerge + packedWidth * width;
        for (int d = 0; d < directions; d++) {
            float[] nu = parameters.get(names[d][0]);
            float[] theta = parameters.get(names[d][1]);
            float[] gammaLog = parameters.get(names[d][2]);
            float[] bRe = parameters.get(names[d][3]);
            float[] bIm = parameters.get(names[d][4]);
            float[] dNu = out.get(names[d][0]);
            float[] dTheta = out.get(names[d][1]);
            float[] dGammaLog = out.get(names[d][2]);
            float[] dBRe = out.get(names[d][3]);
            float[] dBIm = out.get(names[d][4]);
            float[] dCRe = out.get(names[d][5]);
            float[] dCIm = out.get(names[d][6]);
            int reCol = 2 * states * d;
            int imCol = reCol + states;
            for (int s = 0; s < states; s++) {
                double gamma = Math.exp(gammaLog[s]);
                double gammaGrad = 0;
                for (int j = 0; j < width; j++) {
                    float pRe = grads[dProjection + j * packedWidth + reCol + s];
                    float pIm = grads[dProjection + j * packedWidth + imCol + s];
                    dBRe[j * states + s] = (float) (gamma * pRe);
                    dBIm[j * states + s] = (float) (gamma * pIm);
                    // ∂(γB)/∂γ_log = γB
                    gammaGrad += gamma * (pRe * bRe[j * states + s] + pIm * bIm[j * states + s]);
                    dCRe[s * width + j] = grads[dMerge + (reCol + s) * width + j];
                    dCIm[s * width + j] = -grads[dMerge + (imCol + s) * width + j];
                }
                dGammaLog[s] = (float) gammaGrad;
                double gRe = grads[dLambda + reCol + s];
                double gIm = grads[dLambda + reCol + states + s];
                double lRe = lambdaRe[d][s];
                double lIm = lambdaIm[d][s];
                // λ = exp(-e^ν + i·e^θ): ∂λ/∂ν = -e^ν·λ, ∂λ/∂θ = i·e^θ·λ; ∂L/∂p =
                // Re(conj(gλ)·∂λ/∂p)
                dNu[s] =
                        magnitudeCapped[d][s]
                                ? 0f
                                : (float) (-Math.exp(nu[s]) * (gRe * lRe + gIm * lIm));
                dTheta[s] = (float) (Math.exp(theta[s]) * (gIm * lRe - gRe * lIm));
            }
        }
    }
}
