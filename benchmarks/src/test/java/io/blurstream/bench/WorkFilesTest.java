package io.blurstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkFilesTest {

    @Test
    void deleteTreeRemovesADirectoryWithEverythingInItAndLeavesItsSiblings(@TempDir Path dir)
            throws Exception {
        Path kafka = Files.createDirectories(dir.resolve("kafka/readings-0"));
        Files.writeString(kafka.resolve("00000000.log"), "records");
        Files.writeString(dir.resolve("latencies.csv"), "group,tickMillis,latencyMillis\n");

        WorkFiles.deleteTree(dir.resolve("kafka"));
        WorkFiles.deleteTree(dir.resolve("checkpoints")); // absent: nothing to do

        assertThat(dir.resolve("kafka")).doesNotExist();
        assertThat(dir.resolve("latencies.csv")).exists();
    }
}
