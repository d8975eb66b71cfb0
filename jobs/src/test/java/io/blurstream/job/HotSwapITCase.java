package io.blurstream.job;

/** Hot swap against the local child-JVM broker: runs on every machine. */
class HotSwapITCase extends HotSwapTestBase {

    @Override
    TestBroker startBroker() throws Exception {
        return TestBroker.local();
    }
}
