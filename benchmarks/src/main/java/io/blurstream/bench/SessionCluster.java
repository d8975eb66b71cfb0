package io.blurstream.bench;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * One local Flink cluster that runs the benchmark's jobs one after another, as a session cluster
 * would. A local environment per job would start and stop a cluster around each phase, and on two
 * cores the JIT compilers would still be compiling that start-up code during the next phase's
 * measurement (a quarter to a third of a core in the measured ingest phase).
 */
final class SessionCluster implements AutoCloseable {

    private final MiniCluster cluster;

    private SessionCluster(MiniCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts one TaskManager with {@code slots} slots. */
    static SessionCluster start(int slots, Configuration configuration) throws Exception {
        Configuration conf = new Configuration(configuration);
        conf.set(RestOptions.BIND_PORT, "0");
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(slots)
                                .setRpcServiceSharing(RpcServiceSharing.SHARED)
                                .build());
        cluster.start();
        return new SessionCluster(cluster);
    }

    /** Submits what {@code env} holds as one job. */
    JobClient submit(StreamExecutionEnvironment env, String name) throws Exception {
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(name);
        JobID id = cluster.submitJob(graph).get().getJobID();
        return new MiniClusterJobClient(
                id,
                cluster,
                getClass().getClassLoader(),
                MiniClusterJobClient.JobFinalizationBehavior.NOTHING);
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
