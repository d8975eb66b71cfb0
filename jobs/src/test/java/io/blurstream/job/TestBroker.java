package io.blurstream.job;

import io.blurstream.local.LocalKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.testcontainers.kafka.KafkaContainer;

/** A real Kafka broker for a test: the local child-JVM broker, or an apache/kafka container. */
interface TestBroker extends AutoCloseable {

    String bootstrapServers();

    void createTopics(Map<String, Integer> partitionsByTopic);

    @Override
    void close();

    /** The brokers the cluster reports, asked through the admin API. */
    default int nodeCount() throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            return admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
        }
    }

    /** The child-JVM KRaft broker: runs everywhere. */
    static TestBroker local() throws Exception {
        LocalKafkaBroker broker = LocalKafkaBroker.start(Files.createTempDirectory("kafka-it"));
        return new TestBroker() {
            @Override
            public String bootstrapServers() {
                return broker.bootstrapServers();
            }

            @Override
            public void createTopics(Map<String, Integer> topics) {
                broker.createTopics(topics);
            }

            @Override
            public void close() {
                broker.close();
            }
        };
    }

    /** An {@code apache/kafka} container (KRaft): needs a Docker engine. */
    static TestBroker container() {
        KafkaContainer kafka = new KafkaContainer("apache/kafka:4.2.1");
        kafka.start();
        return new TestBroker() {
            @Override
            public String bootstrapServers() {
                return kafka.getBootstrapServers();
            }

            @Override
            public void createTopics(Map<String, Integer> topics) {
                Properties props = new Properties();
                props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers());
                List<NewTopic> list = new ArrayList<>();
                topics.forEach(
                        (name, partitions) -> list.add(new NewTopic(name, partitions, (short) 1)));
                try (Admin admin = Admin.create(props)) {
                    admin.createTopics(list).all().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("could not create topics", e);
                }
            }

            @Override
            public void close() {
                kafka.stop();
            }
        };
    }

    /** Where the repository's shipped files are, from a module's working directory. */
    static Path repositoryFile(String relative) {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException(relative + " not found above " + here);
    }
}
