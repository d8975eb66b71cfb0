package io.blurstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The same test body against an {@code apache/kafka} container; skipped without Docker. */
@Testcontainers(disabledWithoutDocker = true)
class ForecastJobContainerITCase extends ForecastJobTestBase {

    @Override
    TestBroker startBroker() {
        return TestBroker.container();
    }

    @Test
    void theBrokerIsOneKafkaContainerNode() throws Exception {
        try (TestBroker broker = startBroker()) {
            assertThat(broker.nodeCount()).isEqualTo(1);
        }
    }
}
