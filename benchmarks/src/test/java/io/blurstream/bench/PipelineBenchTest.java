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
}
