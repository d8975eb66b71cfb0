package io.blurstream.job;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What every job test body needs: a MiniCluster with one TaskManager of two slots, and a broker,
 * which each concrete class chooses ({@link TestBroker#local} everywhere, {@link
 * TestBroker#container} where Docker is), so one body runs against both.
 */
abstract class JobTestBase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    abstract TestBroker startBroker() throws Exception;
}
