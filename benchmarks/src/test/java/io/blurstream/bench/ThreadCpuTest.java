package io.blurstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    @Test
    void flinkTaskThreadsKeepTheirSubtaskAndOtherThreadsArePooledWithoutTheirNumbers() {
        assertThat(ThreadCpu.kind("forecast -> Sink: forecasts (2/2)#0"))
                .isEqualTo("forecast -> Sink: forecasts (2/2)#0");
        assertThat(ThreadCpu.kind("kafka-producer-network-thread | producer-17"))
                .isEqualTo("kafka-producer-network-thread | producer-N");
        assertThat(ThreadCpu.kind("pool-7-thread-12")).isEqualTo("pool-N-thread-N");
    }

    @Test
    void sharesAreCoresPerKindBetweenTwoSnapshotsMostFirst() {
        long second = 1_000_000_000L;
        ThreadCpu.Snapshot from =
                new ThreadCpu.Snapshot(
                        0,
                        Map.of(
                                1L, new ThreadCpu.Named("task (1/2)#0", 5 * second, 1_000_000),
                                2L, new ThreadCpu.Named("pool-1", second, 0),
                                3L, new ThreadCpu.Named("gone", second, 0)),
                        Map.of());
        ThreadCpu.Snapshot to =
                new ThreadCpu.Snapshot(
                        2 * second,
                        Map.of(
                                1L, new ThreadCpu.Named("task (1/2)#0", 6 * second, 9_000_000),
                                2L, new ThreadCpu.Named("pool-1", second + second / 2, -1),
                                4L, new ThreadCpu.Named("pool-2", second / 4, 0)),
                        Map.of());

        List<ThreadCpu.Share> shares = ThreadCpu.shares(from, to);

        // 1 s of 2 s on the task; pool-1 0.5 s and the new pool-2 0.25 s pooled; "gone" is lost
        assertThat(shares)
                .extracting(ThreadCpu.Share::threads)
                .containsExactly("task (1/2)#0", "pool-N");
        assertThat(shares.get(0).cores()).isCloseTo(0.5, within(1e-9));
        assertThat(shares.get(1).cores()).isCloseTo(0.375, within(1e-9));
        // 8 MB in 2 s on the task; pool-1 stopped counting, so its kind has no figure
        assertThat(shares.get(0).allocatedMBPerSec()).isCloseTo(4.0, within(1e-9));
        assertThat(shares.get(1).allocatedMBPerSec()).isEqualTo(-1);
    }

    @Test
    void waitsAreReadyThreadsPerKernelNameMostWaitingFirstAndThenAllTogether() {
        long second = 1_000_000_000L;
        ThreadCpu.Snapshot from =
                new ThreadCpu.Snapshot(
                        0,
                        Map.of(),
                        Map.of(
                                10, new ThreadCpu.Scheduled("BLUR inference", second, 0),
                                11, new ThreadCpu.Scheduled("BLUR inference", second, second),
                                12, new ThreadCpu.Scheduled("Source: Reading", 0, 0)));
        ThreadCpu.Snapshot to =
                new ThreadCpu.Snapshot(
                        4 * second,
                        Map.of(),
                        Map.of(
                                10, new ThreadCpu.Scheduled("BLUR inference", 3 * second, second),
                                11,
                                        new ThreadCpu.Scheduled(
                                                "BLUR inference", 3 * second, 2 * second),
                                12, new ThreadCpu.Scheduled("Source: Reading", second, 0),
                                13, new ThreadCpu.Scheduled("Timer-3", 0, second)));

        List<ThreadCpu.Wait> waits = ThreadCpu.waits(from, to);

        // over 4 s: inference ran 4 s and waited 2 s (both threads), the new Timer-3 waited 1 s
        assertThat(waits)
                .containsExactly(
                        new ThreadCpu.Wait("BLUR inference", 1.0, 0.5),
                        new ThreadCpu.Wait("Timer-N", 0.0, 0.25),
                        new ThreadCpu.Wait("Source: Reading", 0.25, 0.0),
                        new ThreadCpu.Wait("all threads", 1.25, 0.75));
    }

    @Test
    void aSpinningThreadShowsUpUnderItsName() throws Exception {
        long spinNanos = 100_000_000;
        CountDownLatch measuring = new CountDownLatch(1);
        CountDownLatch spun = new CountDownLatch(1);
        CountDownLatch stop = new CountDownLatch(1);
        Thread spinner =
                new Thread(
                        () -> {
                            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                            try {
                                measuring.await();
                            } catch (InterruptedException e) {
                                return;
                            }
                            // spins until its own CPU clock has moved on by spinNanos
                            long from = threads.getCurrentThreadCpuTime();
                            while (threads.getCurrentThreadCpuTime() - from < spinNanos) {
                                Thread.onSpinWait();
                            }
                            spun.countDown();
                            while (stop.getCount() > 0) {
                                Thread.onSpinWait();
                            }
                        },
                        "ThreadCpuTest spinner (1/1)#0");
        spinner.start();
        ThreadCpu.Snapshot from = ThreadCpu.snapshot();
        measuring.countDown();
        assertThat(spun.await(30, TimeUnit.SECONDS)).as("spinner done").isTrue();
        ThreadCpu.Snapshot to = ThreadCpu.snapshot();
        stop.countDown();
        spinner.join();

        assertThat(ThreadCpu.supported()).isTrue();
        double wallSeconds = (to.wallNanos() - from.wallNanos()) / 1e9;
        double atLeast = 0.99 * spinNanos / 1e9;
        // the kernel has the thread too, under the first 15 bytes of its name
        assertThat(ThreadCpu.waits(from, to))
                .filteredOn(wait -> wait.threads().equals("ThreadCpuTest s"))
                .singleElement()
                .satisfies(wait -> assertThat(wait.running() * wallSeconds).isGreaterThan(atLeast));
        assertThat(ThreadCpu.shares(from, to))
                .filteredOn(share -> share.threads().equals("ThreadCpuTest spinner (1/1)#0"))
                .singleElement()
                .satisfies(share -> assertThat(share.cores() * wallSeconds).isGreaterThan(atLeast));
    }
}
