package io.blurstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The forecast job against the local child-JVM broker: runs on every machine. */
class ForecastJobITCase extends ForecastJobTestBase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Override
    TestBroker startBroker() throws Exception {
        return TestBroker.local();
    }

    @Test
    void theBrokerIsOneLocalNodeOnLoopback() throws Exception {
        try (TestBroker broker = startBroker()) {
            assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
            assertThat(broker.nodeCount()).isEqualTo(1);
        }
    }
}
