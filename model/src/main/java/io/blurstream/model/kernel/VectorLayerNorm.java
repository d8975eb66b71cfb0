package io.blurstream.model.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API form of {@link LayerNormKernel}: same two-pass formula, lanes reduced per pass. */
final class VectorLayerNorm {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorLayerNorm() {}

    static void apply(
            float[] x,
            int xOff,
            int ldx,
            float[] out,
            int outOff,
            int ldOut,
            int rows,
            int width,
            float[] weight,
            float[] bias) {
        int vectorEnd = width - width % L;
        for (int r = 0; r < rows; r++) {
            int src = xOff + r * ldx;
            int dst = outOff + r * ldOut;
            FloatVector sums = FloatVector.zero(S);
            for (int j = 0; j < vectorEnd; j += L) {
                sums = sums.add(FloatVector.fromArray(S, x, src + j));
            }
            float sum = sums.reduceLanes(VectorOperators.ADD);
            for (int j = vectorEnd; j < width; j++) {
                sum += x[src + j];
            }
            float mean = sum / width;
            FloatVector squares = FloatVector.zero(S);
            for (int j = 0; j < vectorEnd; j += L) {
                FloatVector d = FloatVector.fromArray(S, x, src + j).sub(mean);
                squares = d.fma(d, squares);
            }
            float square = squares.reduceLanes(VectorOperators.ADD);
            for (int j = vectorEnd; j < width; j++) {
                float d = x[src + j] - mean;
                square += d * d;
            }
            float inv = (float) (1.0 / Math.sqrt(square / width + LayerNormKernel.EPS));
            for (int j = 0; j < vectorEnd; j += L) {
                FloatVector v = FloatVector.fromArray(S, x, src + j).sub(mean).mul(inv);
                v.fma(FloatVector.fromArray(S, weight, j), FloatVector.fromArray(S, bias, j))
                        .intoArray(out, dst + j);
            }
            for (int j = vectorEnd; j < width; j++) {
                out[dst + j] = (x[src + j] - mean) * inv * weight[j] + bias[j];
            }
        }
    }
}
