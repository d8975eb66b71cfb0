package io.blurstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blurstream.cli.Arguments;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The argument handling of {@code bench train}; nothing here trains. */
class TrainSpeedTest {

    @Test
    void defaultsTimeTheWholeEpochOnTwoThreadsWithoutThePeer() {
        TrainSpeed.Settings settings = TrainSpeed.Settings.from(Arguments.parse("train"));

        assertThat(settings).isEqualTo(new TrainSpeed.Settings(false, 2, 0, 5, 1, List.of("conv")));
    }

    @Test
    void readsEveryOption() {
        TrainSpeed.Settings settings =
                TrainSpeed.Settings.from(
                        Arguments.parse(
                                "train",
                                "--peer",
                                "torch",
                                "--threads",
                                "1",
                                "--steps",
                                "20",
                                "--warmup-steps",
                                "0",
                                "--rounds",
                                "2",
                                "--scans",
                                "fft, loop",
                                "--json"));

        assertThat(settings)
                .isEqualTo(new TrainSpeed.Settings(true, 1, 20, 0, 2, List.of("fft", "loop")));
    }

    @Test
    void rejectsBadValuesNamingTheOption() {
        assertThatThrownBy(() -> settings("--peer", "jax"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--peer supports 'torch'");
        assertThatThrownBy(() -> settings("--threads", "0"))
                .hasMessageContaining("--threads must be >= 1");
        assertThatThrownBy(() -> settings("--steps", "-1")).hasMessageContaining("--steps");
        assertThatThrownBy(() -> settings("--warmup-steps", "-2"))
                .hasMessageContaining("--warmup-steps");
        assertThatThrownBy(() -> settings("--rounds", "0")).hasMessageContaining("--rounds");
        assertThatThrownBy(() -> settings("--peer", "torch", "--scans", "fft,scan"))
                .hasMessageContaining("conv, fft, loop");
        assertThatThrownBy(() -> settings("--peer", "torch", "--scans", "fft,fft"))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> settings("--scans", "fft"))
                .hasMessageContaining("--scans needs --peer torch");
        assertThatThrownBy(() -> settings("--epochs", "2")).hasMessageContaining("--epochs");
    }

    private static TrainSpeed.Settings settings(String... options) {
        String[] argv = new String[options.length + 1];
        argv[0] = "train";
        System.arraycopy(options, 0, argv, 1, options.length);
        return TrainSpeed.Settings.from(Arguments.parse(argv));
    }
}
