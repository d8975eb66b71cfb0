package io.blurstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The forecast job against the local child-JVM broker: runs on every machine. */
class ForecastJobITCase extends ForecastJobTestBase {

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
