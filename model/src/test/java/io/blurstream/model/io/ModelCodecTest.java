package io.blurstream.model.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blurstream.model.BlurConfig;
import io.blurstream.model.BlurModel;
import io.blurstream.model.BlurParameters;
import io.blurstream.model.ChannelMode;
import io.blurstream.model.Direction;
import io.blurstream.model.ModelInitializer;
import io.blurstream.model.ParameterLayout;
import io.blurstream.model.ParameterSpec;
import io.blurstream.model.Scaler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Float values a codec through decimal text would get wrong. */
    private static final float[] AWKWARD_FLOATS = {
        -0.0f,
        Float.MIN_VALUE,
        -Float.MIN_VALUE,
        1e-40f, // subnormal
        Float.MIN_NORMAL,
        Float.MAX_VALUE,
        -Float.MAX_VALUE,
        Math.nextDown(1f),
    };

    // ------------------------------------------------------------------------------ fixtures

    static BlurConfig config(ChannelMode channelMode, Direction direction) {
        return BlurConfig.builder()
                .window(12)
                .horizon(5)
                .channels(List.of("HUFL", "HULL", "OT"))
                .gridStepMillis(900_000L)
                .channelMode(channelMode)
                .revin(channelMode == ChannelMode.INDEPENDENT)
                .hidden(8)
                .state(6)
                .layers(2)
                .direction(direction)
                .dropout(1 / 3.0)
                .rMin(Double.MIN_VALUE)
                .rMax(Math.nextDown(1.0))
                .maxPhase(2 * Math.PI)
                .build();
    }

    /** A model with random weights plus the awkward floats and doubles a codec must keep exact. */
    static BlurModel model(BlurConfig config, long seed) {
        BlurParameters parameters = ModelInitializer.initialize(config, seed);
        float[] encoder = parameters.get("encoder.weight");
        System.arraycopy(AWKWARD_FLOATS, 0, encoder, 0, AWKWARD_FLOATS.length);
        Scaler scaler =
                new Scaler(
                        new double[] {-0.0, Double.MIN_VALUE, -1e300},
                        new double[] {Double.MIN_VALUE, Double.MAX_VALUE, 0.1});
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("trainLoss", "0.123");
        metadata.put("note", "quote \" backslash \\ newline \n tab \t bell \u0007 é 日本 🙂");
        metadata.put("", "empty key");
        return new BlurModel(
                "ett-h1",
                42,
                Instant.parse("2026-11-22T21:30:00.123456789Z"),
                config,
                scaler,
                metadata,
                parameters);
    }

    static BlurModel model() {
        return model(config(ChannelMode.MIXING, Direction.BIDIRECTIONAL), 1);
    }

    static ObjectNode tree(byte[] file) {
        try {
            return (ObjectNode) JSON.readTree(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode tree) {
        try {
            return JSON.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The model file of {@link #model()} after {@code edit}, with a valid checksum forged. */
    static byte[] forged(Consumer<ObjectNode> edit) {
        ObjectNode document = tree(ModelCodec.toBytes(model()));
        edit.accept(document);
        document.put("sha256", ModelCodec.checksum(document));
        return bytes(document);
    }

    /** The model file of {@link #model()} after {@code edit}, checksum left as it was. */
    static byte[] tampered(Consumer<ObjectNode> edit) {
        ObjectNode document = tree(ModelCodec.toBytes(model()));
        edit.accept(document);
        return bytes(document);
    }

    static ModelFormatException rejection(byte[] file) {
        ModelFormatException e =
                catchThrowableOfType(ModelFormatException.class, () -> ModelCodec.read(file));
        assertThat(e).as("expected the file to be rejected").isNotNull();
        return e;
    }

    static ObjectNode tensor(ObjectNode document, String name) {
        return (ObjectNode) document.get("tensors").get(name);
    }

    static ObjectNode config(ObjectNode document) {
        return (ObjectNode) document.get("config");
    }

    static String encode(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return Base64.getEncoder().encodeToString(buffer.array());
    }

    static float[] decode(String base64) {
        ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(base64));
        float[] values = new float[buffer.capacity() / 4];
        buffer.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    /** An edit that sets one value of a tensor. */
    static Consumer<ObjectNode> setValue(String name, int index, float value) {
        return document -> {
            ObjectNode tensor = tensor(document, name);
            float[] data = decode(tensor.get("data").textValue());
            data[index] = value;
            tensor.put("data", encode(data));
        };
    }

    static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    static long[] bits(double[] values) {
        return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    // ------------------------------------------------------------------------------ round trip

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of(ChannelMode.MIXING, Direction.BIDIRECTIONAL),
                Arguments.of(ChannelMode.MIXING, Direction.FORWARD),
                Arguments.of(ChannelMode.INDEPENDENT, Direction.BIDIRECTIONAL),
                Arguments.of(ChannelMode.INDEPENDENT, Direction.FORWARD));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configs")
    void roundTripIsExact(ChannelMode channelMode, Direction direction) throws Exception {
        BlurModel original = model(config(channelMode, direction), 7);

        BlurModel read = ModelCodec.read(ModelCodec.toBytes(original));

        assertThat(read.modelId()).isEqualTo("ett-h1");
        assertThat(read.version()).isEqualTo(42);
        assertThat(read.createdAt()).isEqualTo(Instant.parse("2026-11-22T21:30:00.123456789Z"));
        // record equality compares double components with Double.compare: -0.0 and ulps count
        assertThat(read.config()).isEqualTo(original.config());
        assertThat(read.config().channelMode()).isEqualTo(channelMode);
        assertThat(read.config().direction()).isEqualTo(direction);
        assertThat(bits(read.scaler().mean())).containsExactly(bits(original.scaler().mean()));
        assertThat(bits(read.scaler().std())).containsExactly(bits(original.scaler().std()));
        assertThat(read.metadata()).isEqualTo(original.metadata());
        assertThat(read.parameters().names()).isEqualTo(original.parameters().names());
        for (String name : original.parameters().names()) {
            assertThat(bits(read.parameters().get(name)))
                    .as(name)
                    .containsExactly(bits(original.parameters().get(name)));
        }
        assertThat(bits(Arrays.copyOf(read.parameters().get("encoder.weight"), 8)))
                .containsExactly(bits(AWKWARD_FLOATS));
    }

    @Test
    void writesTheDocumentLayout() {
        BlurModel model = model();
        byte[] file = ModelCodec.toBytes(model);
        String text = new String(file, StandardCharsets.UTF_8);
        ObjectNode document = tree(file);

        assertThat(text)
                .startsWith(
                        "{\n"
                                + "  \"format\": \"blurstream-model\",\n"
                                + "  \"formatVersion\": 1,\n"
                                + "  \"modelId\": \"ett-h1\",\n"
                                + "  \"version\": 42,\n"
                                + "  \"createdAt\": \"2026-11-22T21:30:00.123456789Z\",\n"
                                + "  \"config\": {\n"
                                + "    \"window\": 12,\n")
                .endsWith("}\n")
                .doesNotContain("\r");
        assertThat(document.fieldNames())
                .toIterable()
                .containsExactly(
                        "format",
                        "formatVersion",
                        "modelId",
                        "version",
                        "createdAt",
                        "config",
                        "scaler",
                        "metadata",
                        "tensors",
                        "sha256");
        assertThat(config(document).fieldNames())
                .toIterable()
                .containsExactly(
                        "window",
                        "horizon",
                        "channels",
                        "gridStepMillis",
                        "channelMode",
                        "revin",
                        "hidden",
                        "state",
                        "layers",
                        "direction",
                        "recurrence",
                        "dropout",
                        "rMin",
                        "rMax",
                        "maxPhase");
        assertThat(config(document).get("channelMode").textValue()).isEqualTo("MIXING");
        assertThat(config(document).get("channels").toString())
                .isEqualTo("[\"HUFL\",\"HULL\",\"OT\"]");
        // metadata in code point order, independent of the Map's iteration order
        assertThat(document.get("metadata").fieldNames())
                .toIterable()
                .containsExactly("", "note", "trainLoss");
        List<String> layoutNames =
                ParameterLayout.of(model.config()).specs().stream()
                        .map(ParameterSpec::name)
                        .toList();
        assertThat(document.get("tensors").fieldNames())
                .toIterable()
                .containsExactlyElementsOf(layoutNames);
        ObjectNode encoder = tensor(document, "encoder.weight");
        assertThat(encoder.get("shape").toString()).isEqualTo("[3,8]");
        assertThat(bits(decode(encoder.get("data").textValue())))
                .containsExactly(bits(model.parameters().get("encoder.weight")));
        assertThat(document.get("sha256").textValue()).matches("[0-9a-f]{64}");
    }

    @Test
    void writingTwiceGivesIdenticalBytes() throws Exception {
        BlurModel model = model();
        byte[] first = ModelCodec.toBytes(model);

        assertThat(ModelCodec.toBytes(model)).isEqualTo(first);
        assertThat(ModelCodec.toBytes(ModelCodec.read(first))).isEqualTo(first);
    }

    @Test
    void writesAndReadsFilesAndStreams(@TempDir Path dir) throws Exception {
        BlurModel model = model();
        Path file = dir.resolve("model.json");
        Files.writeString(file, "an older model");

        ModelCodec.write(model, file);

        assertThat(Files.readAllBytes(file)).isEqualTo(ModelCodec.toBytes(model));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
        assertThat(ModelCodec.read(file).parameters().names())
                .isEqualTo(model.parameters().names());
        try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(file))) {
            assertThat(ModelCodec.read(in).modelId()).isEqualTo("ett-h1");
        }
    }

    @Test
    void modelRefusesParametersOfAnotherConfiguration() {
        BlurModel model = model();
        BlurConfig wider = model.config().toBuilder().hidden(16).build();
        assertThatThrownBy(
                        () ->
                                new BlurModel(
                                        "ett-h1",
                                        1,
                                        model.createdAt(),
                                        wider,
                                        model.scaler(),
                                        Map.of(),
                                        model.parameters()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another configuration");
    }

    @Test
    void checksumChangesWhenAnyTensorValueMovesOneUlp() {
        BlurModel model = model();
        String original = tree(ModelCodec.toBytes(model)).get("sha256").textValue();
        Set<String> checksums = new HashSet<>(Set.of(original));
        List<String> names = model.parameters().names();
        for (String name : names) {
            float[] data = model.parameters().get(name); // the live array
            int index = data.length / 2;
            float kept = data[index];
            data[index] = Math.nextUp(kept);
            String bumped = tree(ModelCodec.toBytes(model)).get("sha256").textValue();
            data[index] = kept;
            assertThat(bumped).as(name).isNotEqualTo(original);
            checksums.add(bumped);
        }
        assertThat(checksums).hasSize(names.size() + 1);
        assertThat(tree(ModelCodec.toBytes(model)).get("sha256").textValue()).isEqualTo(original);
    }

    @Test
    void checksumIgnoresKeyOrderAndWhitespace() throws Exception {
        // compact, keys reordered: same tree, same checksum, still a valid file
        ObjectNode document = tree(ModelCodec.toBytes(model()));
        ObjectNode reordered = JSON.createObjectNode();
        List<String> keys = new ArrayList<>();
        document.fieldNames().forEachRemaining(keys::add);
        for (int i = keys.size() - 1; i >= 0; i--) {
            reordered.set(keys.get(i), document.get(keys.get(i)));
        }

        assertThat(ModelCodec.read(bytes(reordered)).modelId()).isEqualTo("ett-h1");
    }

    // ------------------------------------------------------------------------------ checksum

    @Test
    void canonicalFormIsWhatPythonJsonDumpsWrites() throws Exception {
        // the input and both expectations below come from Python 3.11:
        //   doc = json.loads(text); doc.pop("sha256")
        //   c = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        //   hashlib.sha256(c.encode("utf-8")).hexdigest()
        String text =
                """
                {"sha256": "ignored", "b": [1, 1.0, -0.0, 1e-05, 1E16, 0.1,
                 123456789012345678901234567890, 2.5e-324, true, false, null],
                 "a": {"\\u00e9": "x", "z": "q\\"\\\\\\n\\t\\u0001/\\u00e9\\ud83d\\ude42",
                       "B": 2, "aa": 1},
                 "\\u20ac": 1, "\\ud83d\\ude00": 2, "\\ue000": 3}
                """;
        String expected =
                "{\"a\":{\"B\":2,\"aa\":1,\"z\":\"q\\\"\\\\\\n"
                        + "\\t\\u0001/é\uD83D\uDE42\",\"é\":\"x\"},"
                        + "\"b\":[1,1.0,-0.0,1e-05,1e+16,0.1,123456789012345678901234567890,"
                        + "5e-324,true,false,null],"
                        // code point order: U+E000 before U+1F600 (UTF-16 order has it after)
                        + "\"€\":1,\"\uE000\":3,\"\uD83D\uDE00\":2}";
        ObjectNode document = (ObjectNode) JSON.readTree(text);
        document.remove("sha256");

        assertThat(new String(CanonicalJson.toBytes(document), StandardCharsets.UTF_8))
                .isEqualTo(expected);
        assertThat(ModelCodec.checksum((ObjectNode) JSON.readTree(text)))
                .isEqualTo("60f4b0a8b05c52d67b31e529f4d51fae50f4b0beba3f95faf014ae78e2a5975d");
        assertThat(
                        HexFormat.of()
                                .formatHex(
                                        MessageDigest.getInstance("SHA-256")
                                                .digest(expected.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("60f4b0a8b05c52d67b31e529f4d51fae50f4b0beba3f95faf014ae78e2a5975d");
    }

    @Test
    void doublesAreFormattedAsPythonRepr() {
        // right-hand sides are Python 3's repr() of the same doubles
        Map<Double, String> expected = new LinkedHashMap<>();
        expected.put(0.0, "0.0");
        expected.put(-0.0, "-0.0");
        expected.put(0.1, "0.1");
        expected.put(1.0, "1.0");
        expected.put(100.0, "100.0");
        expected.put(0.0001, "0.0001");
        expected.put(0.00001, "1e-05");
        expected.put(1.5e-7, "1.5e-07");
        expected.put(1e15, "1000000000000000.0");
        expected.put(9999999999999998.0, "9999999999999998.0");
        expected.put(1e16, "1e+16");
        expected.put(1e22, "1e+22");
        expected.put(1e23, "1e+23");
        expected.put(2 * Math.PI, "6.283185307179586");
        expected.put(Math.nextDown(1.0), "0.9999999999999999");
        expected.put(Double.MIN_VALUE, "5e-324");
        expected.put(Double.MIN_NORMAL, "2.2250738585072014e-308");
        expected.put(Double.MAX_VALUE, "1.7976931348623157e+308");
        expected.put(-1e300, "-1e+300");
        expected.put((double) 0.1f, "0.10000000149011612");
        expected.put(2.0e-3, "0.002");
        expected.put(8.41e21, "8.41e+21");
        expected.put(Math.scalb(1.0, -1022), "2.2250738585072014e-308");
        expected.put(Math.scalb(1.0, 60), "1.152921504606847e+18");

        expected.forEach(
                (value, repr) ->
                        assertThat(CanonicalJson.formatDouble(value))
                                .as("%s", value)
                                .isEqualTo(repr));
    }

    @Test
    void readsAFileWrittenByThePythonPeer() throws Exception {
        // written by benchmarks/peers/make_random_model.py --window 6 --horizon 3 --channels 3
        //   --hidden 4 --state 3 --layers 1 --r-min 0.5 --r-max 0.99 --max-phase 3.14 --seed 7
        // which signs with json.dumps(sort_keys=True, separators=(",", ":")); its tensors are not
        // in layout order and its key/value spacing differs from ours
        byte[] file;
        try (InputStream in = getClass().getResourceAsStream("python-peer-model.json")) {
            file = in.readAllBytes();
        }

        BlurModel model = ModelCodec.read(file);

        assertThat(model.modelId()).isEqualTo("random-mixing-bidirectional-W6H4N3L1C3-seed7");
        assertThat(model.config().channels()).containsExactly("HUFL", "HULL", "MUFL");
        assertThat(model.config().hidden()).isEqualTo(4);
        assertThat(model.config().maxPhase()).isEqualTo(3.14);
        assertThat(model.metadata()).containsEntry("seed", "7");
        assertThat(model.parameters().names())
                .hasSize(ParameterLayout.of(model.config()).specs().size());
        // and what we write from it verifies the same way
        assertThat(ModelCodec.read(ModelCodec.toBytes(model)).config()).isEqualTo(model.config());
    }

    @Test
    void rejectsAFlippedBase64Character() {
        byte[] file =
                tampered(
                        document -> {
                            ObjectNode tensor = tensor(document, "encoder.weight");
                            char[] data = tensor.get("data").textValue().toCharArray();
                            data[40] = data[40] == 'A' ? 'B' : 'A';
                            tensor.put("data", new String(data));
                        });
        ObjectNode damaged = tree(file);

        ModelFormatException e = rejection(file);

        assertThat(e.field()).isEqualTo("sha256");
        assertThat(e)
                .hasMessage(
                        "sha256: checksum mismatch (file says "
                                + damaged.get("sha256").textValue()
                                + ", content hashes to "
                                + ModelCodec.checksum(damaged)
                                + "): the file was changed or damaged after it was written");
    }

    @Test
    void rejectsAConfigEditWithoutANewChecksum() {
        // an edit that is otherwise valid, and one that would fail later: the checksum comes first
        for (int window : new int[] {13, 0}) {
            ModelFormatException e =
                    rejection(tampered(document -> config(document).put("window", window)));

            assertThat(e.field()).isEqualTo("sha256");
            assertThat(e.getMessage()).startsWith("sha256: checksum mismatch (file says ");
        }
    }

    @Test
    void rejectsAMissingChecksum() {
        ModelFormatException e = rejection(tampered(document -> document.remove("sha256")));

        assertThat(e.field()).isEqualTo("sha256");
        assertThat(e)
                .hasMessage(
                        "sha256: missing; every model file carries the SHA-256 of its content,"
                                + " write files with ModelCodec");
    }

    @Test
    void rejectsAMalformedChecksum() {
        ModelFormatException e = rejection(tampered(document -> document.put("sha256", "AB12")));

        assertThat(e.field()).isEqualTo("sha256");
        assertThat(e).hasMessage("sha256: expected 64 lowercase hex digits, got string \"AB12\"");
    }

    @Test
    void checksumIsCheckedAfterFormatAndVersion() {
        ModelFormatException e = rejection(tampered(document -> document.put("formatVersion", 7)));

        assertThat(e.field()).isEqualTo("formatVersion");
        assertThat(e).hasMessage("formatVersion: unsupported version 7 (this build reads 1)");
    }

    // ------------------------------------------------------------------------------ rejections

    record Rejection(String name, Consumer<ObjectNode> edit, String field, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Rejection> rejections() {
        return Stream.of(
                new Rejection(
                        "wrong format",
                        document -> document.put("format", "onnx"),
                        "format",
                        "format: expected \"blurstream-model\", got string \"onnx\""),
                new Rejection(
                        "missing format version",
                        document -> document.remove("formatVersion"),
                        "formatVersion",
                        "formatVersion: missing"),
                new Rejection(
                        "format version as a string",
                        document -> document.put("formatVersion", "1"),
                        "formatVersion",
                        "formatVersion: expected an integer, got string \"1\""),
                new Rejection(
                        "unknown top-level field",
                        document -> document.put("comment", "hi"),
                        "comment",
                        "comment: unknown field (expected only format, formatVersion, modelId,"
                                + " version, createdAt, config, scaler, metadata, tensors,"
                                + " sha256)"),
                new Rejection(
                        "blank model id",
                        document -> document.put("modelId", " "),
                        "modelId",
                        "modelId: must not be blank"),
                new Rejection(
                        "negative version",
                        document -> document.put("version", -1),
                        "version",
                        "version: must be >= 0, got -1"),
                new Rejection(
                        "fractional version",
                        document -> document.put("version", 1.5),
                        "version",
                        "version: expected an integer, got number 1.5"),
                new Rejection(
                        "unparseable createdAt",
                        document -> document.put("createdAt", "yesterday"),
                        "createdAt",
                        "createdAt: expected an ISO-8601 instant such as 2026-11-22T21:30:00Z,"
                                + " got string \"yesterday\""),
                new Rejection(
                        "missing config",
                        document -> document.remove("config"),
                        "config",
                        "config: missing"),
                new Rejection(
                        "window as a string",
                        document -> config(document).put("window", "96"),
                        "config.window",
                        "config.window: expected an integer, got string \"96\""),
                new Rejection(
                        "window too large for an int",
                        document -> config(document).put("window", 3_000_000_000L),
                        "config.window",
                        "config.window: expected a 32-bit integer, got number 3000000000"),
                new Rejection(
                        "window zero (BlurConfig's own check)",
                        document -> config(document).put("window", 0),
                        "config.window",
                        "config.window: must be > 0, got 0"),
                new Rejection(
                        "dropout out of range",
                        document -> config(document).put("dropout", 1.0),
                        "config.dropout",
                        "config.dropout: must be in [0, 1), got 1.0"),
                new Rejection(
                        "missing config field",
                        document -> config(document).remove("hidden"),
                        "config.hidden",
                        "config.hidden: missing"),
                new Rejection(
                        "unknown config key",
                        document -> config(document).put("windw", 12),
                        "config.windw",
                        "config.windw: unknown field (expected only window, horizon, channels,"
                                + " gridStepMillis, channelMode, revin, hidden, state, layers,"
                                + " direction, recurrence, dropout, rMin, rMax, maxPhase)"),
                new Rejection(
                        "bad channel mode",
                        document -> config(document).put("channelMode", "SIDEWAYS"),
                        "config.channelMode",
                        "config.channelMode: unknown value string \"SIDEWAYS\" (allowed:"
                                + " MIXING, INDEPENDENT)"),
                new Rejection(
                        "direction in lower case",
                        document -> config(document).put("direction", "forward"),
                        "config.direction",
                        "config.direction: unknown value string \"forward\" (allowed:"
                                + " BIDIRECTIONAL, FORWARD)"),
                new Rejection(
                        "revin as a string",
                        document -> config(document).put("revin", "false"),
                        "config.revin",
                        "config.revin: expected true or false, got string \"false\""),
                new Rejection(
                        "channel name as a number",
                        document -> ((ArrayNode) config(document).get("channels")).set(1, 5),
                        "config.channels[1]",
                        "config.channels[1]: expected a string, got number 5"),
                new Rejection(
                        "scaler too short",
                        document -> ((ArrayNode) document.get("scaler").get("mean")).remove(2),
                        "scaler.mean",
                        "scaler.mean: expected 3 values, one per entry of config.channels, got"
                                + " 2"),
                new Rejection(
                        "scaler std zero (Scaler's own check)",
                        document -> ((ArrayNode) document.get("scaler").get("std")).set(1, 0.0),
                        "scaler.std[1]",
                        "scaler.std[1]: must be finite and > 0, got 0.0"),
                new Rejection(
                        "metadata value not a string",
                        document -> ((ObjectNode) document.get("metadata")).put("seed", 1),
                        "metadata.seed",
                        "metadata.seed: expected a string, got number 1"),
                new Rejection(
                        "wrong shape",
                        document ->
                                ((ArrayNode) tensor(document, "blocks.0.forward.B_re").get("shape"))
                                        .set(1, 3),
                        "tensors.blocks.0.forward.B_re.shape",
                        "tensors.blocks.0.forward.B_re.shape: expected [8, 6] from config"
                                + " (hidden=8, state=6), got [8, 3]"),
                new Rejection(
                        "transposed shape of the same size",
                        document -> {
                            ArrayNode shape =
                                    (ArrayNode) tensor(document, "head.time.weight").get("shape");
                            shape.set(0, 12);
                            shape.set(1, 5);
                        },
                        "tensors.head.time.weight.shape",
                        "tensors.head.time.weight.shape: expected [5, 12] from config"
                                + " (horizon=5, window=12), got [12, 5]"),
                new Rejection(
                        "encoder shape follows the channels",
                        document ->
                                ((ArrayNode) tensor(document, "encoder.weight").get("shape"))
                                        .set(0, 1),
                        "tensors.encoder.weight.shape",
                        "tensors.encoder.weight.shape: expected [3, 8] from config"
                                + " (channelMode=MIXING, channels=3, hidden=8),"
                                + " got [1, 8]"),
                new Rejection(
                        "NaN in a tensor",
                        setValue("head.time.weight", 17, Float.NaN),
                        "tensors.head.time.weight.data[17]",
                        "tensors.head.time.weight.data[17]: non-finite value NaN"),
                new Rejection(
                        "infinity in a tensor",
                        setValue("blocks.1.backward.nu", 3, Float.NEGATIVE_INFINITY),
                        "tensors.blocks.1.backward.nu.data[3]",
                        "tensors.blocks.1.backward.nu.data[3]: non-finite value -Infinity"),
                new Rejection(
                        "missing tensor",
                        document -> ((ObjectNode) document.get("tensors")).remove("encoder.bias"),
                        "tensors.encoder.bias",
                        "tensors.encoder.bias: missing; the configuration needs it with shape"
                                + " [8]"),
                new Rejection(
                        "unknown tensor",
                        document ->
                                ((ObjectNode) document.get("tensors"))
                                        .set("blocks.2.D", tensor(document, "blocks.1.D")),
                        "tensors.blocks.2.D",
                        "tensors.blocks.2.D: unknown tensor: a configuration with layers=2,"
                                + " direction=BIDIRECTIONAL has no tensor of this name"),
                new Rejection(
                        "unknown field in a tensor",
                        document -> tensor(document, "encoder.bias").put("dtype", "float16"),
                        "tensors.encoder.bias.dtype",
                        "tensors.encoder.bias.dtype: unknown field (expected only shape, data)"),
                new Rejection(
                        "base64 length mismatch",
                        document ->
                                tensor(document, "encoder.bias").put("data", encode(new float[7])),
                        "tensors.encoder.bias.data",
                        "tensors.encoder.bias.data: decodes to 28 bytes, expected 32 (4-byte"
                                + " float32 × 8 values of shape [8])"),
                new Rejection(
                        "not base64",
                        document -> tensor(document, "encoder.bias").put("data", "AAAA*AAA"),
                        "tensors.encoder.bias.data",
                        "tensors.encoder.bias.data: not valid base64 (Illegal base64 character"
                                + " 2a)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void rejectsWithThePathOfTheOffendingField(Rejection rejection) {
        ModelFormatException e = rejection(forged(rejection.edit()));

        assertThat(e.field()).isEqualTo(rejection.field());
        assertThat(e).hasMessage(rejection.message());
        assertThat(e.getMessage()).isEqualTo(e.field() + ": " + e.problem());
    }

    @Test
    void rejectsANumberThatOverflowsToInfinity() {
        ObjectNode document = tree(ModelCodec.toBytes(model()));
        ((ArrayNode) document.get("scaler").get("mean")).set(0, Double.POSITIVE_INFINITY);
        // JSON has no infinity; 1e400 is read as one (Jackson and Python alike)
        document.put("sha256", ModelCodec.checksum(document));
        String file =
                new String(bytes(document), StandardCharsets.UTF_8)
                        .replace("\"Infinity\"", "1e400");

        ModelFormatException e = rejection(file.getBytes(StandardCharsets.UTF_8));

        assertThat(e.field()).isEqualTo("scaler.mean[0]");
        assertThat(e).hasMessage("scaler.mean[0]: must be finite, got Infinity");
    }

    @Test
    void rejectsTruncatedJson() {
        byte[] file = ModelCodec.toBytes(model());

        ModelFormatException e = rejection(Arrays.copyOf(file, file.length / 2));

        assertThat(e.field()).isEqualTo("document");
        assertThat(e.getMessage())
                .startsWith("document: not valid JSON at line ")
                .contains("Unexpected end-of-input")
                .doesNotContain("REDACTED");
    }

    @Test
    void rejectsWhatIsNotOneJsonObject() {
        assertThat(rejection(new byte[0]))
                .hasMessage("document: empty; a model file is one JSON object");
        assertThat(rejection("[1, 2]".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("document: expected a JSON object, got an array");
        assertThat(rejection("{} {}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage(
                        "document: unexpected content after the JSON object at line 1, column 5;"
                                + " a model file is one JSON object");
        assertThat(rejection("PK\u0003\u0004".getBytes(StandardCharsets.UTF_8)).getMessage())
                .startsWith("document: not valid JSON at line 1, column 1: Unrecognized token");
    }

    @Test
    void rejectsDuplicateKeys() {
        String file =
                new String(ModelCodec.toBytes(model()), StandardCharsets.UTF_8)
                        .replace("\"window\": 12,", "\"window\": 12, \"window\": 12,");

        ModelFormatException e = rejection(file.getBytes(StandardCharsets.UTF_8));

        assertThat(e.field()).isEqualTo("config.window");
        assertThat(e)
                .hasMessage(
                        "config.window: appears twice in the same object; a key may appear only"
                                + " once");
    }

    @Test
    void rejectsATensorOfTheOtherDirection() {
        BlurModel forward = model(config(ChannelMode.MIXING, Direction.FORWARD), 3);
        ObjectNode document = tree(ModelCodec.toBytes(forward));
        ((ObjectNode) document.get("tensors"))
                .set("blocks.0.backward.nu", tensor(document, "blocks.0.forward.nu"));
        document.put("sha256", ModelCodec.checksum(document));

        ModelFormatException e = rejection(bytes(document));

        assertThat(e.field()).isEqualTo("tensors.blocks.0.backward.nu");
        assertThat(e.getMessage())
                .isEqualTo(
                        "tensors.blocks.0.backward.nu: unknown tensor: a configuration with"
                                + " layers=2, direction=FORWARD has no tensor of this name");
    }
}
