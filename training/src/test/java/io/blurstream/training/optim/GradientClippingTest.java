package io.blurstream.training.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.blurstream.model.ParameterGroup;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

    private static List<TrainableTensor> tensors(float... grads) {
        TrainableTensor a = TrainableTensor.zeros("a", ParameterGroup.DENSE, 2);
        TrainableTensor b = TrainableTensor.zeros("b", ParameterGroup.RECURRENT, grads.length - 2);
        System.arraycopy(grads, 0, a.grads(), 0, 2);
        System.arraycopy(grads, 2, b.grads(), 0, grads.length - 2);
        return List.of(a, b);
    }

    @Test
    void scalesAllTensorsTogetherAndReturnsThePreClipNorm() {
        List<TrainableTensor> tensors = tensors(3, 4, 12); // norm √(9 + 16 + 144) = 13
        assertThat(GradientClipping.clipGlobalNorm(tensors, 6.5)).isEqualTo(13.0);
        assertThat(GradientClipping.globalNorm(tensors)).isCloseTo(6.5, within(1e-5));
        assertThat(tensors.get(0).grads()[0]).isCloseTo(1.5f, within(1e-6f));
        assertThat(tensors.get(1).grads()[0]).isCloseTo(6f, within(1e-6f));
    }

    @Test
    void leavesSmallGradientsAlone() {
        List<TrainableTensor> tensors = tensors(3, 4, 12);
        assertThat(GradientClipping.clipGlobalNorm(tensors, 13.0)).isEqualTo(13.0);
        assertThat(tensors.get(1).grads()[0]).isEqualTo(12f);
    }

    @Test
    void leavesNonFiniteGradientsForTheCallerToSee() {
        List<TrainableTensor> tensors = tensors(3, Float.NaN, 12);
        assertThat(GradientClipping.clipGlobalNorm(tensors, 1.0)).isNaN();
        assertThat(tensors.get(0).grads()[0]).isEqualTo(3f);
        assertThat(tensors.get(1).grads()[0]).isEqualTo(12f);
    }
}
