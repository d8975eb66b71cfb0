package io.blurstream.model;

/**
 * A slow, obviously-correct float64 BLUR written straight from the specification, sharing no code
 * with the kernels: complex arithmetic spelled out, sequential scans, the head in its textbook
 * order (time map, then channel map). Tests compare the fast path against it.
 */
public final class ReferenceBlur {

    private ReferenceBlur() {}

    /** Forecast of one window {@code W × C} (original units) → {@code F × C} (original units). */
    public static double[] forecast(BlurModel model, float[] input, int inputOff) {
        BlurConfig config = model.config();
        int w = config.window();
        int f = config.horizon();
        int channels = config.channelCount();
        double[][] x = new double[w][channels];
        for (int t = 0; t < w; t++) {
            for (int c = 0; c < channels; c++) {
                x[t][c] =
                        (input[inputOff + t * channels + c] - model.scaler().mean(c))
                                / model.scaler().std(c);
            }
        }
        double[] mu = new double[channels];
        double[] sigma = new double[channels];
        java.util.Arrays.fill(sigma, 1);
        if (config.revin()) {
            for (int c = 0; c < channels; c++) {
                double sum = 0;
                for (int t = 0; t < w; t++) {
                    sum += x[t][c];
                }
                mu[c] = sum / w;
                double sq = 0;
                for (int t = 0; t < w; t++) {
                    sq += (x[t][c] - mu[c]) * (x[t][c] - mu[c]);
                }
                sigma[c] = Math.sqrt(sq / w + 1e-5);
                for (int t = 0; t < w; t++) {
                    x[t][c] = (x[t][c] - mu[c]) / sigma[c];
                }
            }
        }
        double[][] y = new double[f][channels];
        if (config.channelMode() == ChannelMode.MIXING) {
            y = network(model, x);
        } else {
            for (int c = 0; c < channels; c++) {
                double[][] single = new double[w][1];
                for (int t = 0; t < w; t++) {
                    single[t][0] = x[t][c];
                }
                double[][] out = network(model, single);
                for (int k = 0; k < f; k++) {
                    y[k][c] = out[k][0];
                }
            }
        }
        double[] result = new double[f * channels];
        for (int k = 0; k < f; k++) {
            for (int c = 0; c < channels; c++) {
                double value = y[k][c] * sigma[c] + mu[c];
                result[k * channels + c] = value * model.scaler().std(c) + model.scaler().mean(c);
            }
        }
        return result;
    }

    /** The network on normalised input {@code W × C_in} → {@code F × C_out}. */
    public static double[][] network(BlurModel model, double[][] input) {
        BlurConfig config = model.config();
        BlurParameters p = model.parameters();
        int w = config.window();
        int h = config.hidden();
        double[][] x = linear(input, p.get("encoder.weight"), p.get("encoder.bias"), h);
        for (int i = 0; i < config.layers(); i++) {
            String block = "blocks." + i;
            double[][] z = layerNorm(x, p.get(block + ".norm.weight"), p.get(block + ".norm.bias"));
            double[][] y = new double[w][h];
            for (String dir : ParameterLayout.directions(config)) {
                double[][] merged = lru(z, p, block + "." + dir, config, dir.equals("backward"));
                for (int t = 0; t < w; t++) {
                    for (int j = 0; j < h; j++) {
                        y[t][j] += merged[t][j];
                    }
                }
            }
            float[] d = p.get(block + ".D");
            for (int t = 0; t < w; t++) {
                for (int j = 0; j < h; j++) {
                    y[t][j] = gelu(y[t][j] + d[j] * z[t][j]);
                }
            }
            double[][] glu =
                    linear(y, p.get(block + ".glu.weight"), p.get(block + ".glu.bias"), 2 * h);
            for (int t = 0; t < w; t++) {
                for (int j = 0; j < h; j++) {
                    x[t][j] += glu[t][j] * sigmoid(glu[t][h + j]);
                }
            }
        }
        double[][] xf = layerNorm(x, p.get("head.norm.weight"), p.get("head.norm.bias"));
        float[] time = p.get("head.time.weight");
        float[] timeBias = p.get("head.time.bias");
        int f = config.horizon();
        double[][] overTime = new double[f][h];
        for (int k = 0; k < f; k++) {
            for (int j = 0; j < h; j++) {
                double sum = timeBias[k];
                for (int t = 0; t < w; t++) {
                    sum += time[k * w + t] * xf[t][j];
                }
                overTime[k][j] = sum;
            }
        }
        return linear(
                overTime,
                p.get("head.channel.weight"),
                p.get("head.channel.bias"),
                config.outputChannels());
    }

    private static double[][] lru(
            double[][] z, BlurParameters p, String lru, BlurConfig config, boolean backward) {
        int w = z.length;
        int h = config.hidden();
        int n = config.state();
        float[] nu = p.get(lru + ".nu");
        float[] theta = p.get(lru + ".theta");
        float[] gammaLog = p.get(lru + ".gamma_log");
        float[] bRe = p.get(lru + ".B_re");
        float[] bIm = p.get(lru + ".B_im");
        float[] cRe = p.get(lru + ".C_re");
        float[] cIm = p.get(lru + ".C_im");
        double[][] out = new double[w][h];
        for (int s = 0; s < n; s++) {
            double magnitude = Math.exp(-Math.exp(nu[s]));
            double phase = Math.exp(theta[s]);
            double lr = magnitude * Math.cos(phase);
            double li = magnitude * Math.sin(phase);
            double gamma = Math.exp(gammaLog[s]);
            double hr = 0;
            double hi = 0;
            for (int step = 0; step < w; step++) {
                int t = backward ? w - 1 - step : step;
                double ur = 0;
                double ui = 0;
                for (int j = 0; j < h; j++) {
                    ur += z[t][j] * bRe[j * n + s];
                    ui += z[t][j] * bIm[j * n + s];
                }
                double nr = lr * hr - li * hi + gamma * ur;
                double ni = lr * hi + li * hr + gamma * ui;
                hr = nr;
                hi = ni;
                for (int j = 0; j < h; j++) {
                    out[t][j] += cRe[s * h + j] * hr - cIm[s * h + j] * hi;
                }
            }
        }
        return out;
    }

    static double[][] linear(double[][] x, float[] weight, float[] bias, int out) {
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int r = 0; r < x.length; r++) {
            for (int o = 0; o < out; o++) {
                double sum = bias[o];
                for (int i = 0; i < in; i++) {
                    sum += x[r][i] * weight[i * out + o];
                }
                y[r][o] = sum;
            }
        }
        return y;
    }

    static double[][] layerNorm(double[][] x, float[] weight, float[] bias) {
        int h = x[0].length;
        double[][] y = new double[x.length][h];
        for (int r = 0; r < x.length; r++) {
            double mean = 0;
            for (double v : x[r]) {
                mean += v;
            }
            mean /= h;
            double var = 0;
            for (double v : x[r]) {
                var += (v - mean) * (v - mean);
            }
            var /= h;
            for (int j = 0; j < h; j++) {
                y[r][j] = (x[r][j] - mean) / Math.sqrt(var + 1e-5) * weight[j] + bias[j];
            }
        }
        return y;
    }

    public static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /**
     * erf to ~1e-14: Maclaurin series for |x| ≤ 2.5 (at most a few digits lost to cancellation),
     * Lentz's continued fraction for erfc beyond.
     */
    public static double erf(double x) {
        double a = Math.abs(x);
        double result;
        if (a <= 2.5) {
            double term = a;
            double sum = a;
            for (int n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
                term *= -a * a / n;
                sum += term / (2 * n + 1);
            }
            result = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // erfc(a) = exp(-a²)/√π · 1/(a + 1/2/(a + 1/(a + 3/2/(a + 2/(a + ...)))))
            double f = a;
            double c = a;
            double d = 0;
            for (int k = 1; k < 500; k++) {
                double coefficient = k / 2.0;
                d = a + coefficient * d;
                d = 1 / d;
                c = a + coefficient / c;
                double delta = c * d;
                f *= delta;
                if (Math.abs(delta - 1) < 1e-16) {
                    break;
                }
            }
            result = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
        }
        return x < 0 ? -result : result;
    }
}
