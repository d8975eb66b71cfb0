package io.blurstream.training.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ErrorAccumulatorTest {

    @Test
    void smallExampleByHand() {
        // Two steps × two channels: errors 1, -2, 0, 3.
        float[] forecast = {9, 1, 0, 2, 6};
        float[] target = {0, 2, 2, 3};
        ErrorAccumulator errors = ErrorAccumulator.perStep(2);
        errors.add(forecast, 1, target, 0, 2, 2);
        assertThat(errors.count()).isEqualTo(4);
        assertThat(errors.mse()).isEqualTo((1 + 4 + 0 + 9) / 4.0);
        assertThat(errors.mae()).isEqualTo((1 + 2 + 0 + 3) / 4.0);
        assertThat(errors.mse(0)).isEqualTo((1 + 4) / 2.0);
        assertThat(errors.mae(1)).isEqualTo((0 + 3) / 2.0);
        assertThat(errors.errors()).isEqualTo(new ForecastErrors(3.5, 1.5, 4));
    }

    @Test
    void mergedPartsEqualTheWhole() {
        Random random = new Random(5);
        int steps = 7;
        int channels = 3;
        int windows = 50;
        float[] forecast = new float[windows * steps * channels];
        float[] target = new float[forecast.length];
        for (int i = 0; i < forecast.length; i++) {
            forecast[i] = (float) random.nextGaussian();
            target[i] = (float) random.nextGaussian();
        }
        ErrorAccumulator whole = ErrorAccumulator.perStep(steps);
        ErrorAccumulator first = ErrorAccumulator.perStep(steps);
        ErrorAccumulator second = ErrorAccumulator.perStep(steps);
        double sq = 0;
        for (int w = 0; w < windows; w++) {
            int off = w * steps * channels;
            whole.add(forecast, off, target, off, steps, channels);
            (w % 2 == 0 ? first : second).add(forecast, off, target, off, steps, channels);
        }
        for (int i = 0; i < forecast.length; i++) {
            double e = (double) forecast[i] - target[i];
            sq += e * e;
        }
        first.merge(second);
        assertThat(first.count()).isEqualTo(whole.count()).isEqualTo(forecast.length);
        assertThat(first.mse()).isCloseTo(whole.mse(), within(1e-12));
        assertThat(first.mae()).isCloseTo(whole.mae(), within(1e-12));
        assertThat(whole.mse()).isCloseTo(sq / forecast.length, within(1e-12));
        for (int s = 0; s < steps; s++) {
            assertThat(first.mse(s)).isCloseTo(whole.mse(s), within(1e-12));
        }
        whole.reset();
        assertThat(whole.count()).isZero();
        assertThat(whole.mse()).isNaN();
    }

    @Test
    void rejectsMismatchedShapes() {
        ErrorAccumulator overall = new ErrorAccumulator();
        assertThatThrownBy(() -> overall.mse(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(
                        () ->
                                ErrorAccumulator.perStep(3)
                                        .add(new float[4], 0, new float[4], 0, 2, 2))
                .hasMessage("this accumulator keeps 3 steps, the forecast has 2");
        assertThatThrownBy(() -> overall.merge(ErrorAccumulator.perStep(2)))
                .hasMessage("cannot merge an accumulator of 2 steps into one of 0");
        assertThatThrownBy(() -> overall.add(new float[3], 0, new float[4], 0, 2, 2))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
