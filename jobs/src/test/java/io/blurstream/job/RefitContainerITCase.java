package io.blurstream.job;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The refit loop against an {@code apache/kafka} container; skipped without Docker. */
@Testcontainers(disabledWithoutDocker = true)
class RefitContainerITCase extends RefitTestBase {

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
}
