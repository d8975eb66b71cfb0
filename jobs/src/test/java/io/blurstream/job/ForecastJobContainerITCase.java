package io.blurstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The same test body against an {@code apache/kafka} container; skipped without Docker. */
@Testcontainers(disabledWithoutDocker = true)
class ForecastJobContainerITCase extends ForecastJobTestBase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

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
