package io.blurstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The job jar the package phase shades (target/blurstream-job.jar): what a Flink cluster lacks is
 * inside, what it ships is not, so the jar neither fails to link on the cluster nor clashes with
 * its classes.
 */
class JobJarITCase {

    static final Path JAR = Path.of("target/blurstream-job.jar");

    @Test
    void theJobJarHoldsTheJobAndItsConnectorButNotFlinkOrALoggingBackend() throws Exception {
        assertThat(JAR).isRegularFile();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(ForecastJobMain.class.getName());
            List<String> names = jar.stream().map(ZipEntry::getName).toList();
            assertThat(names)
                    .contains(
                            "io/blurstream/job/ForecastJobMain.class",
                            "io/blurstream/cli/Blurstream.class",
                            "io/blurstream/training/refit/RefitService.class",
                            "io/blurstream/model/kernel/WorkerPool.class",
                            "org/apache/flink/connector/kafka/source/KafkaSource.class",
                            "org/apache/flink/connector/kafka/sink/KafkaSink.class",
                            "org/apache/kafka/clients/consumer/KafkaConsumer.class",
                            "com/fasterxml/jackson/dataformat/yaml/YAMLFactory.class",
                            "org/tukaani/xz/XZInputStream.class",
                            "demo/ett-transformers.yaml");
            for (String provided :
                    List.of(
                            "org/apache/flink/streaming/api/",
                            "org/apache/flink/runtime/",
                            "org/apache/flink/api/common/",
                            "org/apache/flink/connector/base/",
                            "org/slf4j/",
                            "org/apache/logging/",
                            "scala/",
                            "kafka/server/",
                            "org/apache/kafka/raft/",
                            "org/apache/kafka/storage/",
                            "org/junit/")) {
                assertThat(names).as(provided).noneMatch(name -> name.startsWith(provided));
            }
            assertThat(names).noneMatch(name -> name.endsWith("module-info.class"));
            assertThat(names).noneMatch(name -> name.matches("META-INF/[^/]+\\.(SF|DSA|RSA)"));
            // the connector's service files survive the merge, beside ours
            assertThat(service(jar, "META-INF/services/io.blurstream.cli.Command"))
                    .contains("io.blurstream.cli.models.RefitCommand")
                    .contains("io.blurstream.cli.stream.ReplayCommand");
            assertThat(service(jar, "META-INF/services/org.apache.flink.table.factories.Factory"))
                    .contains("org.apache.flink.streaming.connectors.kafka");
        }
    }

    private static String service(JarFile jar, String name) throws Exception {
        ZipEntry entry = jar.getEntry(name);
        assertThat(entry).as(name).isNotNull();
        try (var in = jar.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
