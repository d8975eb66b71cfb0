package io.blurstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.testcontainers.junit.jupiter.Testcontainers;

/** The refit test bodies against an {@code apache/kafka} container; skipped without Docker. */
@Testcontainers(disabledWithoutDocker = true)
class RefitContainerITCase extends RefitTestBase {

    /** The broker every test body runs on: one Kafka container node. */
    @Override
    TestBroker startBroker() throws Exception {
        TestBroker broker = TestBroker.container();
        assertThat(broker.nodeCount()).isEqualTo(1);
        return broker;
    }
}
