package io.blurstream.model.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.blurstream.model.ReferenceBlur;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class ActivationsTest {

    @Test
    void referenceErfMatchesKnownValues() {
        assertThat(ReferenceBlur.erf(0)).isZero();
        assertThat(ReferenceBlur.erf(0.5)).isCloseTo(0.5204998778130465, Offset.offset(1e-14));
        assertThat(ReferenceBlur.erf(1)).isCloseTo(0.8427007929497149, Offset.offset(1e-14));
        assertThat(ReferenceBlur.erf(-2)).isCloseTo(-0.9953222650189527, Offset.offset(1e-14));
        assertThat(ReferenceBlur.erf(3)).isCloseTo(0.9999779095030014, Offset.offset(1e-14));
        assertThat(ReferenceBlur.erf(6)).isCloseTo(1.0, Offset.offset(1e-15));
    }

    @Test
    void geluMatchesExactFormScalarAndVector() {
        int count = 4003; // not a multiple of any vector width
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = -12f + 24f * i / (count - 1);
        }
        float[] vector = x.clone();
        VectorActivations.gelu(vector, 0, count);
        for (int i = 0; i < count; i++) {
            double expected = ReferenceBlur.gelu(x[i]);
            double tolerance = 2e-7 * Math.max(1, Math.abs(x[i]));
            assertThat((double) Activations.gelu(x[i]))
                    .as("scalar GELU(%s)", x[i])
                    .isCloseTo(expected, Offset.offset(tolerance));
            assertThat((double) vector[i])
                    .as("vector GELU(%s)", x[i])
                    .isCloseTo(expected, Offset.offset(tolerance));
        }
    }

    @Test
    void geluDerivativeMatchesFiniteDifferencesOfTheExactForm() {
        int count = 301;
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = -7.5f + 0.05f * i;
        }
        float[] values = x.clone();
        float[] derivative = new float[count + 2];
        Activations.geluWithDerivative(values, 0, count, derivative, 2);
        for (int i = 0; i < count; i++) {
            double h = 1e-5;
            double numeric =
                    (ReferenceBlur.gelu(x[i] + h) - ReferenceBlur.gelu(x[i] - h)) / (2 * h);
            assertThat((double) derivative[2 + i])
                    .as("GELU'(%s)", x[i])
                    .isCloseTo(numeric, Offset.offset(2e-6));
            assertThat((double) derivative[2 + i])
                    .isCloseTo(Activations.geluDerivative(x[i]), Offset.offset(1e-6));
            assertThat((double) values[i]).isCloseTo(Activations.gelu(x[i]), Offset.offset(1e-6));
        }
    }

    @Test
    void gluBackwardMatchesFiniteDifferences() {
        int rows = 3;
        int h = 21;
        java.util.Random random = new java.util.Random(4);
        float[] in = new float[rows * 2 * h];
        float[] dg = new float[rows * h];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) (3 * random.nextGaussian());
        }
        for (int i = 0; i < dg.length; i++) {
            dg[i] = (float) random.nextGaussian();
        }
        float[] dIn = new float[in.length];
        Activations.gluBackward(in, dg, rows, h, dIn);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < h; j++) {
                double v = in[r * 2 * h + j];
                double u = in[r * 2 * h + h + j];
                double d = dg[r * h + j];
                double eps = 1e-6;
                double dv = d * (sigmoid(u) * (v + eps) - sigmoid(u) * (v - eps)) / (2 * eps);
                double du = d * v * (sigmoid(u + eps) - sigmoid(u - eps)) / (2 * eps);
                assertThat((double) dIn[r * 2 * h + j])
                        .isCloseTo(dv, Offset.offset(1e-5 * (1 + Math.abs(dv))));
                assertThat((double) dIn[r * 2 * h + h + j])
                        .isCloseTo(du, Offset.offset(1e-5 * (1 + Math.abs(du))));
            }
        }
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void gluGatesValuesWithSigmoidAndAccumulates() {
        Random random = new Random(2);
        int rows = 5;
        int h = 21;
        float[] in = GemmTest.randomArray(random, rows * 2 * h);
        float[] out = GemmTest.randomArray(random, rows * (h + 3));
        float[] original = out.clone();
        Activations.addGlu(in, 0, rows, h, out, 0, h + 3);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < h; j++) {
                double expected =
                        original[r * (h + 3) + j]
                                + in[r * 2 * h + j] / (1 + Math.exp(-in[r * 2 * h + h + j]));
                assertThat((double) out[r * (h + 3) + j]).isCloseTo(expected, Offset.offset(1e-6));
            }
            for (int j = h; j < h + 3; j++) {
                assertThat(out[r * (h + 3) + j]).isEqualTo(original[r * (h + 3) + j]);
            }
        }
    }

    @Test
    void trainingGluOverwritesItsOutputWithGatedValues() {
        Random random = new Random(4);
        int rows = 3;
        int h = 37; // two vectors of 16 and a tail
        float[] in = GemmTest.randomArray(random, rows * 2 * h);
        float[] out = GemmTest.randomArray(random, rows * h);
        Activations.glu(in, rows, h, out);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < h; j++) {
                double expected = in[r * 2 * h + j] / (1 + Math.exp(-in[r * 2 * h + h + j]));
                assertThat((double) out[r * h + j]).isCloseTo(expected, Offset.offset(1e-6));
            }
        }
    }

    @Test
    void layerNormNormalisesEachRow() {
        Random random = new Random(3);
        int rows = 4;
        int width = 37; // two vectors of 16 and a tail
        float[] x = GemmTest.randomArray(random, rows * width);
        float[] weight = GemmTest.randomArray(random, width);
        float[] bias = GemmTest.randomArray(random, width);
        float[] out = new float[rows * width];
        float[] scalar = new float[rows * width];
        VectorLayerNorm.apply(x, 0, width, out, 0, width, rows, width, weight, bias);
        LayerNormKernel.scalar(x, 0, width, scalar, 0, width, rows, width, weight, bias);
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int j = 0; j < width; j++) {
                mean += x[r * width + j];
            }
            mean /= width;
            double var = 0;
            for (int j = 0; j < width; j++) {
                var += Math.pow(x[r * width + j] - mean, 2);
            }
            var /= width;
            for (int j = 0; j < width; j++) {
                double expected =
                        (x[r * width + j] - mean) / Math.sqrt(var + 1e-5) * weight[j] + bias[j];
                assertThat((double) out[r * width + j]).isCloseTo(expected, Offset.offset(1e-5));
                assertThat((double) scalar[r * width + j]).isCloseTo(expected, Offset.offset(1e-5));
            }
        }
    }
}
