package io.blurstream.cluster;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a state that a standalone cluster only reports when asked (its REST API, a topic's
 * contents): asks again every interval until the answer is yes or the time is up.
 */
final class Poll {

    /** One question; may throw to end the wait (a process died, the job failed). */
    @FunctionalInterface
    interface Check<E extends Exception> {
        boolean holds() throws E;
    }

    private Poll() {}

    /** Whether {@code check} held within {@code timeout}, asking every {@code interval}. */
    static <E extends Exception> boolean until(Duration timeout, Duration interval, Check<E> check)
            throws E, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.holds()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, interval.toNanos()));
        }
        return true;
    }
}
