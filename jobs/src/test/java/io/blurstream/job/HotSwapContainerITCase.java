package io.blurstream.job;

import org.testcontainers.junit.jupiter.Testcontainers;

/** The hot-swap test bodies against an {@code apache/kafka} container; skipped without Docker. */
@Testcontainers(disabledWithoutDocker = true)
class HotSwapContainerITCase extends HotSwapTestBase {

    @Override
    TestBroker startBroker() {
        return TestBroker.container();
    }
}
