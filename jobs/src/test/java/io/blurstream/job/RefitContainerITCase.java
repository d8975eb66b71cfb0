package io.blurstream.job;

import org.testcontainers.junit.jupiter.Testcontainers;

/** The refit loop against an {@code apache/kafka} container; skipped without Docker. */
@Testcontainers(disabledWithoutDocker = true)
class RefitContainerITCase extends RefitTestBase {

    @Override
    TestBroker startBroker() {
        return TestBroker.container();
    }
}
