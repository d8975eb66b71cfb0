package io.blurstream.model.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blurstream.model.BlurConfig;
import io.blurstream.model.BlurModel;
import io.blurstream.model.ChannelMode;
import io.blurstream.model.ModelInitializer;
import io.blurstream.model.Scaler;
import io.blurstream.model.io.ModelCodec;
import io.blurstream.model.io.ModelFormatException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpdateMessagesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final UpdateKeys.Hmac KEY = UpdateKeys.hmac(new byte[32]);

    static byte[] modelFile(String id, long version) {
        BlurConfig config =
                BlurConfig.builder()
                        .window(8)
                        .horizon(3)
                        .channels(List.of("a", "b"))
                        .gridStepMillis(60_000)
                        .channelMode(ChannelMode.INDEPENDENT)
                        .hidden(4)
                        .state(2)
                        .layers(1)
                        .build();
        return ModelCodec.toBytes(
                new BlurModel(
                        id,
                        version,
                        Instant.parse("2026-11-27T00:00:00Z"),
                        config,
                        new Scaler(new double[] {0, 0}, new double[] {1, 1}),
                        Map.of(),
                        ModelInitializer.initialize(config, version)));
    }

    @Test
    void aModelSplitIntoChunksComesBackWholeWithItsSignedHeader() throws Exception {
        byte[] file = modelFile("m", 3);
        List<byte[]> records =
                UpdateMessages.model(file, UpdateStage.SERVE, Map.of("mse", 0.25), KEY, 1000, 1234L)
                        .records();
        assertThat(records).hasSize((file.length + 999) / 1000);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (int i = 0; i < records.size(); i++) {
            UpdateMessage message = UpdateMessages.read(records.get(i));
            assertThat(message.chunk()).isEqualTo(i);
            assertThat(UpdateMessages.checkSignature(message, KEY)).isNull();
            UpdateHeader header = message.header();
            assertThat(header.kind()).isEqualTo(UpdateKind.MODEL);
            assertThat(header.modelId()).isEqualTo("m");
            assertThat(header.version()).isEqualTo(3);
            assertThat(header.stage()).isEqualTo(UpdateStage.SERVE);
            assertThat(header.chunks()).isEqualTo(records.size());
            assertThat(header.bytes()).isEqualTo(file.length);
            assertThat(header.issuedAtMillis()).isEqualTo(1234L);
            assertThat(header.metadata()).containsEntry("mse", 0.25);
            whole.write(message.data());
        }
        assertThat(whole.toByteArray()).isEqualTo(file);
        assertThat(UpdateMessages.sha256Hex(whole.toByteArray()))
                .isEqualTo(UpdateMessages.read(records.get(0)).header().sha256());
    }

    @Test
    void aSmallModelIsOneRecordAndInvalidFilesAreNotPublished() throws Exception {
        byte[] file = modelFile("m", 1);
        assertThat(
                        UpdateMessages.model(
                                        file,
                                        UpdateStage.SHADOW,
                                        Map.of(),
                                        KEY,
                                        UpdateMessages.DEFAULT_CHUNK_BYTES,
                                        0)
                                .records())
                .hasSize(1);
        byte[] broken = file.clone();
        broken[broken.length / 2] ^= 1;
        assertThatThrownBy(
                        () ->
                                UpdateMessages.model(
                                                broken, UpdateStage.SERVE, Map.of(), KEY, 1000, 0)
                                        .records())
                .isInstanceOf(ModelFormatException.class);
    }

    @Test
    void controlMessagesCarryNoFile() throws Exception {
        for (UpdateKind kind :
                List.of(UpdateKind.PROMOTE, UpdateKind.ROLLBACK, UpdateKind.RETIRE)) {
            UpdateMessage message =
                    UpdateMessages.read(UpdateMessages.control(kind, "m", 2, KEY, 5));
            assertThat(message.header().kind()).isEqualTo(kind);
            assertThat(message.header().version()).isEqualTo(2);
            assertThat(message.data()).isEmpty();
            assertThat(UpdateMessages.checkSignature(message, KEY)).isNull();
        }
        assertThatThrownBy(() -> UpdateMessages.control(UpdateKind.MODEL, "m", 1, KEY, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aChangedHeaderOrAnotherKeyFailsTheSignature() throws Exception {
        byte[] record = UpdateMessages.control(UpdateKind.ROLLBACK, "m", 2, KEY, 5);
        ObjectNode tree = (ObjectNode) JSON.readTree(record);
        tree.put(
                "header", tree.get("header").textValue().replace("\"version\":2", "\"version\":1"));
        UpdateMessage tampered = UpdateMessages.read(JSON.writeValueAsBytes(tree));
        assertThat(tampered.header().version()).isEqualTo(1);
        assertThat(UpdateMessages.checkSignature(tampered, KEY)).startsWith("bad signature");

        byte[] other = new byte[32];
        other[0] = 1;
        UpdateMessage genuine = UpdateMessages.read(record);
        assertThat(UpdateMessages.checkSignature(genuine, UpdateKeys.hmac(other)))
                .startsWith("bad signature");
        var pair = UpdateKeys.newEd25519KeyPair();
        assertThat(
                        UpdateMessages.checkSignature(
                                genuine, UpdateKeys.ed25519Verifier(pair.getPublic())))
                .isEqualTo("signed with HMAC-SHA256 but the job verifies Ed25519 signatures");
    }

    @Test
    void ed25519SignsWithThePrivateKeyAndVerifiesWithThePublicOne() throws Exception {
        var pair = UpdateKeys.newEd25519KeyPair();
        byte[] record =
                UpdateMessages.control(
                        UpdateKind.RETIRE, "m", 4, UpdateKeys.ed25519Signer(pair.getPrivate()), 0);
        UpdateMessage message = UpdateMessages.read(record);
        assertThat(message.header().algorithm()).isEqualTo(UpdateKeys.ED25519);
        assertThat(
                        UpdateMessages.checkSignature(
                                message, UpdateKeys.ed25519Verifier(pair.getPublic())))
                .isNull();
        var stranger = UpdateKeys.newEd25519KeyPair();
        assertThat(
                        UpdateMessages.checkSignature(
                                message, UpdateKeys.ed25519Verifier(stranger.getPublic())))
                .startsWith("bad signature");
    }

    @Test
    void malformedRecordsSayWhatIsWrong() throws Exception {
        byte[] file = modelFile("m", 1);
        byte[] good =
                UpdateMessages.model(file, UpdateStage.SERVE, Map.of(), KEY, 1 << 20, 0)
                        .records()
                        .get(0);
        assertReason(new byte[0], "empty record");
        assertReason("{".getBytes(StandardCharsets.UTF_8), "not JSON");
        assertReason("[1]".getBytes(StandardCharsets.UTF_8), "not a model update");
        assertReason(file, "a bare model file");
        ObjectNode tree = (ObjectNode) JSON.readTree(good);
        assertReason(with(tree, t -> t.put("extra", 1)), "record.extra: unknown member");
        assertReason(with(tree, t -> t.put("chunk", 1)), "record.chunk: 1 is outside 0..0");
        assertReason(with(tree, t -> t.put("data", "***")), "record.data: not base64");
        assertReason(with(tree, t -> t.put("signature", 5)), "record.signature: a string");
        assertReason(
                with(tree, t -> t.put("header", header(t, "\"kind\":\"model\"", "\"kind\":\"x\""))),
                "header.kind: unknown kind \"x\"");
        assertReason(
                with(
                        tree,
                        t ->
                                t.put(
                                        "header",
                                        header(t, "\"formatVersion\":1", "\"formatVersion\":2"))),
                "header.formatVersion: 2; this build reads version 1");
        assertReason(
                with(tree, t -> t.put("header", header(t, "\"stage\":\"serve\"", "\"stage\":1"))),
                "header.stage: a string is required");
        byte[] control = UpdateMessages.control(UpdateKind.PROMOTE, "m", 1, KEY, 0);
        ObjectNode controlTree = (ObjectNode) JSON.readTree(control);
        assertReason(
                with(controlTree, t -> t.put("chunk", 0)),
                "record: a promote message carries no chunk or data");
    }

    private static String header(ObjectNode tree, String from, String to) {
        String header = tree.get("header").textValue();
        assertThat(header).contains(from);
        return header.replace(from, to);
    }

    private static byte[] with(ObjectNode tree, java.util.function.Consumer<ObjectNode> change)
            throws Exception {
        ObjectNode copy = tree.deepCopy();
        change.accept(copy);
        return JSON.writeValueAsBytes(copy);
    }

    private static void assertReason(byte[] record, String reason) {
        assertThatThrownBy(() -> UpdateMessages.read(record))
                .isInstanceOf(UpdateFormatException.class)
                .hasMessageContaining(reason);
    }
}
