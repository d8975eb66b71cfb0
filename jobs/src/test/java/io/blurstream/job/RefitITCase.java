package io.blurstream.job;

import static org.assertj.core.api.Assertions.assertThat;

/** The refit test bodies against the local child-JVM broker: runs on every machine. */
class RefitITCase extends RefitTestBase {

    /** The broker every test body runs on: one local node on loopback. */
    @Override
    TestBroker startBroker() throws Exception {
        TestBroker broker = TestBroker.local();
        assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
        assertThat(broker.nodeCount()).isEqualTo(1);
        return broker;
    }
}
