package io.blurstream.job;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waits for a condition that other processes (the job, the broker) make true. */
final class Await {

    /** A condition that may block or be interrupted while it is checked. */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    private static final long POLL_MILLIS = 50;

    private Await() {}

    /**
     * Returns once {@code condition} holds.
     *
     * @throws AssertionError naming {@code what} if it does not hold within {@code timeout}
     */
    static void until(String what, Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "waited " + timeout.toSeconds() + " s in vain for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }
}
