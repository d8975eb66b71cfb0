package io.blurstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineBenchTest {

    @Test
    void theSlowestForecastOfEachTickIsSummarisedOverTheSteadyState() {
        // 20 forecasts: the first tenth (two, of tick 1) is start-up and does not count
        List<Long> ticks =
                List.of(
                        1L, 1L, 2L, 2L, 2L, 3L, 3L, 4L, 4L, 5L, 5L, 6L, 6L, 7L, 7L, 8L, 8L, 9L, 9L,
                        10L);
        long[] latencies = {
            900, 800, 5, 30, 10, 40, 2, 20, 21, 50, 1, 60, 3, 70, 4, 80, 5, 90, 6, 100
        };

        // per tick 2..10 the slowest: 30, 40, 21, 50, 60, 70, 80, 90, 100 (nearest rank: the
        // 90th percentile of nine is the ninth)
        assertThat(PipelineBench.slowestPerTick(latencies, ticks))
                .isEqualTo(
                        "latency: the slowest forecast of each tick: median 60 ms,"
                                + " 90th percentile 100 ms (9 ticks)");
    }

    @Test
    void theJsonLeavesOutThreadsThatNeitherRanNorWaited() {
        PipelineBench.Phase phase =
                new PipelineBench.Phase(
                        "forecast",
                        50,
                        1,
                        10,
                        10,
                        1,
                        1,
                        -1,
                        -1,
                        -1,
                        1.8,
                        0.1,
                        0.05,
                        List.of(
                                new ThreadCpu.Share("BLUR inference (1/2)#0", 0.7, 4),
                                new ThreadCpu.Share("Timer-N", 0.0002, 0)),
                        List.of(
                                new ThreadCpu.Wait("BLUR inference", 1.4, 0.4),
                                new ThreadCpu.Wait("OutputFlusher f", 0.0005, 0.002),
                                new ThreadCpu.Wait("Timer-N", 0.0002, 0.0001),
                                new ThreadCpu.Wait("all threads", 1.5, 0.5)));

        PipelineBench.Phase trimmed = phase.withoutIdleThreads();

        assertThat(trimmed.threadCores())
                .extracting(ThreadCpu.Share::threads)
                .containsExactly("BLUR inference (1/2)#0");
        assertThat(trimmed.threadWaits())
                .extracting(ThreadCpu.Wait::threads)
                .containsExactly("BLUR inference", "OutputFlusher f", "all threads");
        assertThat(trimmed.forecastsPerSec()).isEqualTo(phase.forecastsPerSec());
    }
}
