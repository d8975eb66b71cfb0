package io.blurstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blurstream.local.LocalKafkaBroker;
import io.blurstream.model.io.ModelCodec;
import io.blurstream.model.update.UpdateKeys;
import io.blurstream.model.update.UpdateKind;
import io.blurstream.model.update.UpdateMessage;
import io.blurstream.model.update.UpdateMessages;
import io.blurstream.model.update.UpdateVerifier;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keygen} and {@code publish-model} against a real broker. */
class ModelCommandsTest {

    @Test
    void keygenWritesKeysThatSignAndVerifyAndNeverOverwrites(@TempDir Path dir) throws Exception {
        Path hmac = dir.resolve("hmac.key");
        assertThat(CommandLine.run("keygen", "--hmac", hmac.toString()).exit())
                .isEqualTo(Blurstream.EXIT_OK);
        byte[] message = {1, 2, 3};
        assertThat(
                        UpdateKeys.verifierFromFile(hmac)
                                .verify(message, UpdateKeys.signerFromFile(hmac).sign(message)))
                .isTrue();
        CommandLine again = CommandLine.run("keygen", "--hmac", hmac.toString());
        assertThat(again.exit()).isNotEqualTo(Blurstream.EXIT_OK);
        assertThat(again.err()).contains("never overwrites");

        Path signing = dir.resolve("signing.pem");
        Path verifying = dir.resolve("verifying.pem");
        assertThat(
                        CommandLine.run(
                                        "keygen",
                                        "--ed25519",
                                        signing.toString(),
                                        "--public",
                                        verifying.toString())
                                .exit())
                .isEqualTo(Blurstream.EXIT_OK);
        assertThat(
                        UpdateKeys.verifierFromFile(verifying)
                                .verify(message, UpdateKeys.signerFromFile(signing).sign(message)))
                .isTrue();
        assertThat(CommandLine.run("keygen", "--ed25519", dir.resolve("x.pem").toString()).err())
                .contains("--public");
    }

    @Test
    void publishModelSendsASignedChunkedFileAndControlMessages(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("model.key");
        UpdateKeys.writeHmacSecret(UpdateKeys.newHmacSecret(), key);
        Path modelFile = Path.of("").toAbsolutePath();
        while (!Files.exists(modelFile.resolve("models/ETTh1-blur-96.json"))) {
            modelFile = modelFile.getParent();
        }
        modelFile = modelFile.resolve("models/ETTh1-blur-96.json");
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(dir.resolve("kafka"))) {
            broker.createTopics(Map.of("models", 1));
            CommandLine model =
                    publish(
                            broker,
                            key,
                            "--model",
                            modelFile.toString(),
                            "--chunk-kb",
                            "100",
                            "--json");
            assertThat(model.exit()).as(model.err()).isEqualTo(Blurstream.EXIT_OK);
            JsonNode summary = new ObjectMapper().readTree(model.lastOutLine());
            long bytes = Files.size(modelFile);
            assertThat(summary.path("records").asInt())
                    .isEqualTo((int) ((bytes + 102_399) / 102_400));
            assertThat(summary.path("modelId").asText()).isEqualTo("ETTh1-blur-96");
            CommandLine rollback =
                    publish(
                            broker,
                            key,
                            "--control",
                            "rollback",
                            "--model-id",
                            "ETTh1-blur-96",
                            "--version",
                            "1");
            assertThat(rollback.exit()).as(rollback.err()).isEqualTo(Blurstream.EXIT_OK);

            UpdateVerifier verifier = UpdateKeys.verifierFromFile(key);
            List<UpdateMessage> messages = new ArrayList<>();
            for (byte[] value : readAll(broker, "models")) {
                UpdateMessage message = UpdateMessages.read(value);
                assertThat(UpdateMessages.checkSignature(message, verifier)).isNull();
                messages.add(message);
            }
            assertThat(messages).hasSize(summary.path("records").asInt() + 1);
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            for (UpdateMessage m : messages.subList(0, messages.size() - 1)) {
                file.write(m.data());
            }
            assertThat(file.toByteArray()).isEqualTo(Files.readAllBytes(modelFile));
            assertThat(ModelCodec.read(file.toByteArray()).modelId()).isEqualTo("ETTh1-blur-96");
            UpdateMessage last = messages.get(messages.size() - 1);
            assertThat(last.header().kind()).isEqualTo(UpdateKind.ROLLBACK);
            assertThat(last.header().version()).isEqualTo(1);

            CommandLine broken = publish(broker, key, "--model", key.toString());
            assertThat(broken.exit()).isNotEqualTo(Blurstream.EXIT_OK);
            assertThat(broken.err()).contains("is not a valid model file");

            // --kafka-config settings reach the client: TLS to this plaintext listener sends
            // nothing, and gives up within the client's max.block.ms
            Path clientSettings = dir.resolve("client.properties");
            Files.writeString(clientSettings, "security.protocol=SSL\nmax.block.ms=2000\n");
            CommandLine overTls =
                    publish(
                            broker,
                            key,
                            "--kafka-config",
                            clientSettings.toString(),
                            "--control",
                            "retire",
                            "--model-id",
                            "ETTh1-blur-96",
                            "--version",
                            "1");
            assertThat(overTls.exit()).isEqualTo(Blurstream.EXIT_FAILURE);
            assertThat(readAll(broker, "models")).hasSize(messages.size());
            CommandLine missing =
                    publish(
                            broker,
                            key,
                            "--kafka-config",
                            dir.resolve("none.properties").toString(),
                            "--model",
                            modelFile.toString());
            assertThat(missing.exit()).isEqualTo(Blurstream.EXIT_USAGE);
            assertThat(missing.err()).contains("--kafka-config: cannot read");
        }
    }

    /** {@code publish-model} to {@code broker}, signed with {@code key}, plus {@code options}. */
    private static CommandLine publish(LocalKafkaBroker broker, Path key, String... options) {
        List<String> argv = new ArrayList<>();
        argv.addAll(
                List.of(
                        "publish-model",
                        "--bootstrap-servers",
                        broker.bootstrapServers(),
                        "--key",
                        key.toString()));
        argv.addAll(List.of(options));
        return CommandLine.run(argv.toArray(String[]::new));
    }

    private static List<byte[]> readAll(LocalKafkaBroker broker, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        List<byte[]> values = new ArrayList<>();
        try (var consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
        }
        return values;
    }
}
