package io.blurstream.job;

/** The refit loop against the local child-JVM broker: runs on every machine. */
class RefitITCase extends RefitTestBase {

    @Override
    TestBroker startBroker() throws Exception {
        return TestBroker.local();
    }
}
