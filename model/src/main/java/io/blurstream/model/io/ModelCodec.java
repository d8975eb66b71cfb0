package io.blurstream.model.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blurstream.model.BlurConfig;
import io.blurstream.model.BlurModel;
import io.blurstream.model.BlurParameters;
import io.blurstream.model.ChannelMode;
import io.blurstream.model.Direction;
import io.blurstream.model.ParameterLayout;
import io.blurstream.model.ParameterSpec;
import io.blurstream.model.Recurrence;
import io.blurstream.model.Scaler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads and writes the self-describing model file: one JSON document ({@value #FORMAT}, format
 * version {@value #FORMAT_VERSION}) holding a {@link BlurModel} and a SHA-256 checksum of its
 * content.
 *
 * <pre>
 * {
 *   "format": "blurstream-model",
 *   "formatVersion": 1,
 *   "modelId": "ett-h1",                      non-blank string
 *   "version": 3,                             integer >= 0
 *   "createdAt": "2026-11-22T21:30:00Z",      ISO-8601 instant
 *   "config": {"window": 96, "horizon": 96, "channels": ["HUFL", ...],
 *              "gridStepMillis": 3600000, "channelMode": "MIXING", "revin": false,
 *              "hidden": 64, "state": 64, "layers": 2, "direction": "BIDIRECTIONAL",
 *              "recurrence": "DIAGONAL", "dropout": 0.1, "rMin": 0.0, "rMax": 0.999,
 *              "maxPhase": 6.283185307179586},             every field required, no others
 *   "scaler": {"mean": [...], "std": [...]},  one number per channel, finite, std > 0
 *   "metadata": {"key": "value", ...},        string values only
 *   "tensors": {"encoder.weight": {"shape": [7, 64], "data": "&lt;base64&gt;"}, ...},
 *   "sha256": "&lt;64 lowercase hex digits&gt;"
 * }
 * </pre>
 *
 * <p>Tensors are written in {@link ParameterLayout} order; {@code data} is the standard base64 (RFC
 * 4648, with padding) of the values as little-endian IEEE 754 float32, row-major. Floats survive a
 * round trip bit for bit (base64), doubles too (a decimal that reads back as the same double).
 * Files are pretty-printed with two-space indentation and {@code \n} line ends, so writing the same
 * model twice gives the same bytes.
 *
 * <h2>Checksum</h2>
 *
 * {@code sha256} is the lowercase hex SHA-256 of the <em>canonical content</em>: the document
 * without its top-level {@code sha256} member, serialised as compact JSON with the members of every
 * object sorted by key in Unicode code point order, UTF-8 (the exact rules for strings and numbers
 * are in {@link CanonicalJson}). This is precisely what Python's standard library produces, so a
 * Python peer verifies a file with:
 *
 * <pre>
 * doc = json.load(f)
 * claimed = doc.pop("sha256")
 * canonical = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
 * assert hashlib.sha256(canonical.encode("utf-8")).hexdigest() == claimed
 * </pre>
 *
 * <p>The checksum is computed over the parsed tree, not over the file's bytes: re-indenting a file
 * or reordering its keys keeps it valid, changing any value does not.
 *
 * <h2>Reading</h2>
 *
 * Reading is strict and stops at the first problem, in this order: the bytes must be one JSON
 * object (no duplicate keys, nothing after it); {@code format} and {@code formatVersion} must be
 * this format and a version this build reads; {@code sha256} must be present and match, so a
 * damaged file is reported as damaged rather than by whatever field the damage hit; then every
 * field is checked for presence, JSON type and value, unknown fields (top level, {@code config},
 * {@code scaler}, tensor entries) and unknown tensors are errors, every tensor must have exactly
 * the shape the configuration's {@link ParameterLayout} gives it, decode to {@code 4 × size} bytes
 * and hold only finite values, and every tensor of the layout must be present. Problems are
 * reported as a {@link ModelFormatException} naming the offending field.
 */
public final class ModelCodec {

    /** Value of the {@code format} field. */
    public static final String FORMAT = "blurstream-model";

    /** The format version this build writes and the only one it reads. */
    public static final int FORMAT_VERSION = 1;

    private static final String SHA256 = "sha256";
    private static final List<String> TOP_LEVEL_FIELDS =
            List.of(
                    "format",
                    "formatVersion",
                    "modelId",
                    "version",
                    "createdAt",
                    "config",
                    "scaler",
                    "metadata",
                    "tensors",
                    SHA256);
    private static final List<String> CONFIG_FIELDS =
            List.of(
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
    private static final List<String> SCALER_FIELDS = List.of("mean", "std");
    private static final List<String> TENSOR_FIELDS = List.of("shape", "data");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private static final JsonMapper MAPPER =
            JsonMapper.builder(
                            JsonFactory.builder()
                                    // tensor data are single strings: a 2048-wide GLU alone is
                                    // ~45 MB of base64, beyond Jackson's default limit of 20 MB
                                    .streamReadConstraints(
                                            StreamReadConstraints.builder()
                                                    .maxStringLength(Integer.MAX_VALUE)
                                                    .build())
                                    .build())
                    .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                    .build();

    private static final ObjectWriter PRETTY =
            MAPPER.writer(
                    new DefaultPrettyPrinter(
                                    Separators.createDefaultInstance()
                                            .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                            .withObjectIndenter(new DefaultIndenter("  ", "\n")));

    private ModelCodec() {}

    // ---------------------------------------------------------------------------------- writing

    /**
     * The model file of {@code model}.
     *
     * @throws IllegalArgumentException if the model's parameters do not follow the layout of its
     *     configuration
     */
    public static byte[] toBytes(BlurModel model) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PRETTY.writeValue(out, toDocument(model));
        } catch (IOException e) {
            throw new UncheckedIOException("writing a JSON tree to memory failed", e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /**
     * Writes the model file of {@code model} to {@code file}, replacing it atomically where the
     * file system allows: the content goes to a hidden temporary file in the same directory, is
     * forced to disk and then moved over {@code file}, so a reader never sees half a model.
     */
    public static void write(BlurModel model, Path file) throws IOException {
        byte[] bytes = toBytes(model);
        Path target = file.toAbsolutePath();
        Path temp =
                target.resolveSibling(
                        "." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel =
                    FileChannel.open(
                            temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(
                        temp,
                        target,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static ObjectNode toDocument(BlurModel model) {
        BlurConfig config = model.config();
        BlurParameters parameters = model.parameters();
        ParameterLayout layout = parameters.layout(); // BlurModel checked it against config
        ObjectNode document = MAPPER.createObjectNode();
        document.put("format", FORMAT);
        document.put("formatVersion", FORMAT_VERSION);
        document.put("modelId", model.modelId());
        document.put("version", model.version());
        document.put("createdAt", model.createdAt().toString());
        writeConfig(config, document.putObject("config"));
        ObjectNode scaler = document.putObject("scaler");
        writeDoubles(model.scaler().mean(), scaler.putArray("mean"));
        writeDoubles(model.scaler().std(), scaler.putArray("std"));
        // BlurModel keeps metadata in a Map.copyOf, whose order changes from one JVM to the next
        ObjectNode metadata = document.putObject("metadata");
        model.metadata().entrySet().stream()
                .sorted((a, b) -> CanonicalJson.compareCodePoints(a.getKey(), b.getKey()))
                .forEachOrdered(e -> metadata.put(e.getKey(), e.getValue()));
        ObjectNode tensors = document.putObject("tensors");
        for (ParameterSpec spec : layout.specs()) {
            ObjectNode tensor = tensors.putObject(spec.name());
            ArrayNode shape = tensor.putArray("shape");
            Arrays.stream(spec.shape()).forEach(shape::add);
            tensor.put("data", encodeFloats(parameters.get(spec.name())));
        }
        document.put(SHA256, checksum(document));
        return document;
    }

    private static void writeConfig(BlurConfig config, ObjectNode out) {
        out.put("window", config.window());
        out.put("horizon", config.horizon());
        ArrayNode channels = out.putArray("channels");
        config.channels().forEach(channels::add);
        out.put("gridStepMillis", config.gridStepMillis());
        out.put("channelMode", config.channelMode().name());
        out.put("revin", config.revin());
        out.put("hidden", config.hidden());
        out.put("state", config.state());
        out.put("layers", config.layers());
        out.put("direction", config.direction().name());
        out.put("recurrence", config.recurrence().name());
        out.put("dropout", config.dropout());
        out.put("rMin", config.rMin());
        out.put("rMax", config.rMax());
        out.put("maxPhase", config.maxPhase());
    }

    private static void writeDoubles(double[] values, ArrayNode out) {
        for (double value : values) {
            out.add(value);
        }
    }

    private static String encodeFloats(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    /**
     * Lowercase hex SHA-256 of the canonical content of a model document: {@code document} without
     * its top-level {@code sha256} member, canonicalised as described in the class comment.
     */
    static String checksum(ObjectNode document) {
        ObjectNode content = MAPPER.createObjectNode();
        document.properties()
                .forEach(
                        member -> {
                            if (!member.getKey().equals(SHA256)) {
                                content.set(member.getKey(), member.getValue());
                            }
                        });
        return CanonicalJson.sha256Hex(content);
    }

    // ---------------------------------------------------------------------------------- reading

    /** Reads a model file held in memory, for example the value of a Kafka record. */
    public static BlurModel read(byte[] bytes) throws ModelFormatException {
        return decode(parse(bytes));
    }

    /**
     * Reads a model file from {@code in} to its end (the stream is not closed).
     *
     * @throws IOException if reading the stream fails
     * @throws ModelFormatException if what it holds is not a valid model file
     */
    public static BlurModel read(InputStream in) throws IOException, ModelFormatException {
        return read(in.readAllBytes());
    }

    /**
     * Reads the model file {@code file}.
     *
     * @throws IOException if the file cannot be read
     * @throws ModelFormatException if it is not a valid model file
     */
    public static BlurModel read(Path file) throws IOException, ModelFormatException {
        return read(Files.readAllBytes(file));
    }

    private static ObjectNode parse(byte[] bytes) throws ModelFormatException {
        JsonNode root;
        try (JsonParser parser = MAPPER.createParser(bytes)) {
            root = MAPPER.readTree(parser);
            if (root != null && parser.nextToken() != null) {
                throw new ModelFormatException(
                        ModelFormatException.DOCUMENT,
                        "unexpected content after the JSON object at line "
                                + parser.currentLocation().getLineNr()
                                + ", column "
                                + parser.currentLocation().getColumnNr()
                                + "; a model file is one JSON object");
            }
        } catch (MismatchedInputException e) {
            // the only mismatch a tree read reports: a key repeated within one object
            String path = e.getProcessor() instanceof JsonParser parser ? pathOf(parser) : "";
            throw new ModelFormatException(
                    path.isEmpty() ? ModelFormatException.DOCUMENT : path,
                    "appears twice in the same object; a key may appear only once",
                    e);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(
                    ModelFormatException.DOCUMENT,
                    "not valid JSON at line "
                            + e.getLocation().getLineNr()
                            + ", column "
                            + e.getLocation().getColumnNr()
                            + ": "
                            + e.getOriginalMessage().replaceAll("\\[Source: [^;]*; ", "["),
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from memory failed", e);
        }
        if (root == null || root.isMissingNode()) {
            throw new ModelFormatException(
                    ModelFormatException.DOCUMENT, "empty; a model file is one JSON object");
        }
        if (!root.isObject()) {
            throw new ModelFormatException(
                    ModelFormatException.DOCUMENT, "expected a JSON object, got " + describe(root));
        }
        return (ObjectNode) root;
    }

    /** Dotted path of the member the parser is at ({@code a.b[1].c}). */
    private static String pathOf(JsonParser parser) {
        Deque<JsonStreamContext> chain = new ArrayDeque<>();
        for (JsonStreamContext c = parser.getParsingContext();
                c != null && !c.inRoot();
                c = c.getParent()) {
            chain.push(c);
        }
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c : chain) {
            if (c.inArray()) {
                path.append('[').append(c.getCurrentIndex()).append(']');
            } else if (c.getCurrentName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(c.getCurrentName());
            }
        }
        return path.toString();
    }

    private static BlurModel decode(ObjectNode document) throws ModelFormatException {
        JsonNode format = required(document, "", "format");
        if (!FORMAT.equals(format.textValue())) {
            throw new ModelFormatException(
                    "format", "expected \"" + FORMAT + "\", got " + describe(format));
        }
        JsonNode formatVersion = required(document, "", "formatVersion");
        if (!formatVersion.isIntegralNumber()) {
            throw new ModelFormatException(
                    "formatVersion", "expected an integer, got " + describe(formatVersion));
        }
        if (!formatVersion.canConvertToInt() || formatVersion.intValue() != FORMAT_VERSION) {
            throw new ModelFormatException(
                    "formatVersion",
                    "unsupported version "
                            + formatVersion.asText()
                            + " (this build reads "
                            + FORMAT_VERSION
                            + ")");
        }
        verifyChecksum(document);
        rejectUnknown(document, "", TOP_LEVEL_FIELDS);

        String modelId = string(required(document, "", "modelId"), "modelId");
        if (modelId.isBlank()) {
            throw new ModelFormatException("modelId", "must not be blank");
        }
        long version = longValue(required(document, "", "version"), "version");
        if (version < 0) {
            throw new ModelFormatException("version", "must be >= 0, got " + version);
        }
        Instant createdAt = instant(required(document, "", "createdAt"), "createdAt");
        BlurConfig config = readConfig(object(required(document, "", "config"), "config"));
        Scaler scaler = readScaler(object(required(document, "", "scaler"), "scaler"), config);
        Map<String, String> metadata =
                readMetadata(object(required(document, "", "metadata"), "metadata"));
        BlurParameters parameters =
                readTensors(object(required(document, "", "tensors"), "tensors"), config);
        try {
            return new BlurModel(modelId, version, createdAt, config, scaler, metadata, parameters);
        } catch (IllegalArgumentException e) {
            // everything BlurModel checks has been checked above; keep the cause if that changes
            throw new ModelFormatException(ModelFormatException.DOCUMENT, e.getMessage(), e);
        }
    }

    private static void verifyChecksum(ObjectNode document) throws ModelFormatException {
        JsonNode claimed = document.get(SHA256);
        if (claimed == null) {
            throw new ModelFormatException(
                    SHA256,
                    "missing; every model file carries the SHA-256 of its content, write files"
                            + " with ModelCodec");
        }
        if (!claimed.isTextual() || !SHA256_HEX.matcher(claimed.textValue()).matches()) {
            throw new ModelFormatException(
                    SHA256, "expected 64 lowercase hex digits, got " + describe(claimed));
        }
        String actual = checksum(document);
        if (!actual.equals(claimed.textValue())) {
            throw new ModelFormatException(
                    SHA256,
                    "checksum mismatch (file says "
                            + claimed.textValue()
                            + ", content hashes to "
                            + actual
                            + "): the file was changed or damaged after it was written");
        }
    }

    private static BlurConfig readConfig(ObjectNode node) throws ModelFormatException {
        rejectUnknown(node, "config", CONFIG_FIELDS);
        int window = intValue(required(node, "config", "window"), "config.window");
        int horizon = intValue(required(node, "config", "horizon"), "config.horizon");
        List<String> channels = strings(required(node, "config", "channels"), "config.channels");
        long gridStepMillis =
                longValue(required(node, "config", "gridStepMillis"), "config.gridStepMillis");
        ChannelMode channelMode =
                enumValue(
                        ChannelMode.class,
                        required(node, "config", "channelMode"),
                        "config.channelMode");
        boolean revin = bool(required(node, "config", "revin"), "config.revin");
        int hidden = intValue(required(node, "config", "hidden"), "config.hidden");
        int state = intValue(required(node, "config", "state"), "config.state");
        int layers = intValue(required(node, "config", "layers"), "config.layers");
        Direction direction =
                enumValue(
                        Direction.class, required(node, "config", "direction"), "config.direction");
        Recurrence recurrence =
                enumValue(
                        Recurrence.class,
                        required(node, "config", "recurrence"),
                        "config.recurrence");
        double dropout = doubleValue(required(node, "config", "dropout"), "config.dropout");
        double rMin = doubleValue(required(node, "config", "rMin"), "config.rMin");
        double rMax = doubleValue(required(node, "config", "rMax"), "config.rMax");
        double maxPhase = doubleValue(required(node, "config", "maxPhase"), "config.maxPhase");
        try {
            return new BlurConfig(
                    window,
                    horizon,
                    channels,
                    gridStepMillis,
                    channelMode,
                    revin,
                    hidden,
                    state,
                    layers,
                    direction,
                    recurrence,
                    dropout,
                    rMin,
                    rMax,
                    maxPhase);
        } catch (IllegalArgumentException e) {
            throw fromValidation(e, "config");
        }
    }

    private static Scaler readScaler(ObjectNode node, BlurConfig config)
            throws ModelFormatException {
        rejectUnknown(node, "scaler", SCALER_FIELDS);
        double[] mean = doubles(required(node, "scaler", "mean"), "scaler.mean");
        double[] std = doubles(required(node, "scaler", "std"), "scaler.std");
        requireChannelCount(mean, "scaler.mean", config);
        requireChannelCount(std, "scaler.std", config);
        try {
            return new Scaler(mean, std);
        } catch (IllegalArgumentException e) {
            throw fromValidation(e, "scaler");
        }
    }

    private static void requireChannelCount(double[] values, String path, BlurConfig config)
            throws ModelFormatException {
        if (values.length != config.channelCount()) {
            throw new ModelFormatException(
                    path,
                    "expected "
                            + config.channelCount()
                            + " values, one per entry of config.channels, got "
                            + values.length);
        }
    }

    private static Map<String, String> readMetadata(ObjectNode node) throws ModelFormatException {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            metadata.put(entry.getKey(), string(entry.getValue(), "metadata." + entry.getKey()));
        }
        return metadata;
    }

    private static BlurParameters readTensors(ObjectNode node, BlurConfig config)
            throws ModelFormatException {
        ParameterLayout layout = ParameterLayout.of(config);
        Map<String, float[]> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String name = entry.getKey();
            String path = "tensors." + name;
            ParameterSpec spec = layout.spec(name);
            if (spec == null) {
                throw new ModelFormatException(
                        path,
                        "unknown tensor: a configuration with layers="
                                + config.layers()
                                + ", direction="
                                + config.direction()
                                + " has no tensor of this name");
            }
            tensors.put(name, readTensor(object(entry.getValue(), path), path, spec, config));
        }
        for (ParameterSpec spec : layout.specs()) {
            if (!tensors.containsKey(spec.name())) {
                throw new ModelFormatException(
                        "tensors." + spec.name(),
                        "missing; the configuration needs it with shape "
                                + Arrays.toString(spec.shape()));
            }
        }
        try {
            return BlurParameters.of(config, tensors);
        } catch (IllegalArgumentException e) {
            // every tensor has been checked above; keep the cause if BlurParameters checks more
            throw new ModelFormatException("tensors", e.getMessage(), e);
        }
    }

    private static float[] readTensor(
            ObjectNode node, String path, ParameterSpec spec, BlurConfig config)
            throws ModelFormatException {
        rejectUnknown(node, path, TENSOR_FIELDS);
        int[] shape = ints(required(node, path, "shape"), path + ".shape");
        if (!spec.hasShape(shape)) {
            throw new ModelFormatException(
                    path + ".shape",
                    "expected "
                            + Arrays.toString(spec.shape())
                            + " from config ("
                            + shapeSource(spec.name(), config)
                            + "), got "
                            + Arrays.toString(shape));
        }
        String dataPath = path + ".data";
        String base64 = string(required(node, path, "data"), dataPath);
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(
                    dataPath, "not valid base64 (" + e.getMessage() + ")", e);
        }
        long expectedBytes = 4L * spec.size();
        if (bytes.length != expectedBytes) {
            throw new ModelFormatException(
                    dataPath,
                    "decodes to "
                            + bytes.length
                            + " bytes, expected "
                            + expectedBytes
                            + " (4-byte float32 × "
                            + spec.size()
                            + " values of shape "
                            + Arrays.toString(spec.shape())
                            + ")");
        }
        float[] values = new float[spec.size()];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new ModelFormatException(
                        dataPath + "[" + i + "]", "non-finite value " + values[i]);
            }
        }
        return values;
    }

    /**
     * The configuration fields a tensor's shape follows from, for error messages; mirrors the table
     * in {@link ParameterLayout}'s comment.
     */
    private static String shapeSource(String name, BlurConfig config) {
        String hidden = "hidden=" + config.hidden();
        String state = "state=" + config.state();
        String channels =
                "channelMode=" + config.channelMode() + ", channels=" + config.channelCount();
        String leaf = name.substring(name.lastIndexOf('.') + 1);
        return switch (name) {
            case "encoder.weight" -> channels + ", " + hidden;
            case "head.time.weight" ->
                    "horizon=" + config.horizon() + ", window=" + config.window();
            case "head.time.bias" -> "horizon=" + config.horizon();
            case "head.channel.weight" -> hidden + ", " + channels;
            case "head.channel.bias" -> channels;
            default ->
                    switch (leaf) {
                        case "nu", "theta", "gamma_log" -> state;
                        case "B_re", "B_im", "C_re", "C_im" -> hidden + ", " + state;
                        default -> hidden;
                    };
        };
    }

    /**
     * Turns a validation failure of a model class ({@code "config.window must be > 0, got 0"}) into
     * a format error on the field it names.
     */
    private static ModelFormatException fromValidation(IllegalArgumentException e, String prefix) {
        String message = String.valueOf(e.getMessage());
        int space = message.indexOf(' ');
        if (message.startsWith(prefix + ".") && space > 0) {
            return new ModelFormatException(
                    message.substring(0, space), message.substring(space + 1), e);
        }
        return new ModelFormatException(prefix, message, e);
    }

    // ------------------------------------------------------------------- typed field accessors

    private static String join(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    private static JsonNode required(ObjectNode parent, String parentPath, String key)
            throws ModelFormatException {
        JsonNode value = parent.get(key);
        if (value == null) {
            throw new ModelFormatException(join(parentPath, key), "missing");
        }
        return value;
    }

    private static void rejectUnknown(ObjectNode node, String path, List<String> known)
            throws ModelFormatException {
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            if (!known.contains(member.getKey())) {
                throw new ModelFormatException(
                        join(path, member.getKey()),
                        "unknown field (expected only " + String.join(", ", known) + ")");
            }
        }
    }

    private static ObjectNode object(JsonNode node, String path) throws ModelFormatException {
        if (!node.isObject()) {
            throw typeError(path, "an object", node);
        }
        return (ObjectNode) node;
    }

    private static String string(JsonNode node, String path) throws ModelFormatException {
        if (!node.isTextual()) {
            throw typeError(path, "a string", node);
        }
        return node.textValue();
    }

    private static boolean bool(JsonNode node, String path) throws ModelFormatException {
        if (!node.isBoolean()) {
            throw typeError(path, "true or false", node);
        }
        return node.booleanValue();
    }

    private static int intValue(JsonNode node, String path) throws ModelFormatException {
        if (!node.isIntegralNumber()) {
            throw typeError(path, "an integer", node);
        }
        if (!node.canConvertToInt()) {
            throw typeError(path, "a 32-bit integer", node);
        }
        return node.intValue();
    }

    private static long longValue(JsonNode node, String path) throws ModelFormatException {
        if (!node.isIntegralNumber()) {
            throw typeError(path, "an integer", node);
        }
        if (!node.canConvertToLong()) {
            throw typeError(path, "a 64-bit integer", node);
        }
        return node.longValue();
    }

    /** Any JSON number: {@code 1} and {@code 1.0} are the same double. */
    private static double doubleValue(JsonNode node, String path) throws ModelFormatException {
        if (!node.isNumber()) {
            throw typeError(path, "a number", node);
        }
        return node.doubleValue();
    }

    private static Instant instant(JsonNode node, String path) throws ModelFormatException {
        String text = string(node, path);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new ModelFormatException(
                    path,
                    "expected an ISO-8601 instant such as 2026-11-22T21:30:00Z, got "
                            + describe(node),
                    e);
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, JsonNode node, String path)
            throws ModelFormatException {
        String text = string(node, path);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(text)) {
                return constant;
            }
        }
        throw new ModelFormatException(
                path,
                "unknown value "
                        + describe(node)
                        + " (allowed: "
                        + Arrays.stream(type.getEnumConstants())
                                .map(Enum::name)
                                .collect(Collectors.joining(", "))
                        + ")");
    }

    private static ArrayNode array(JsonNode node, String path) throws ModelFormatException {
        if (!node.isArray()) {
            throw typeError(path, "an array", node);
        }
        return (ArrayNode) node;
    }

    private static List<String> strings(JsonNode node, String path) throws ModelFormatException {
        ArrayNode array = array(node, path);
        List<String> values = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            values.add(string(array.get(i), path + "[" + i + "]"));
        }
        return values;
    }

    private static int[] ints(JsonNode node, String path) throws ModelFormatException {
        ArrayNode array = array(node, path);
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = intValue(array.get(i), path + "[" + i + "]");
        }
        return values;
    }

    private static double[] doubles(JsonNode node, String path) throws ModelFormatException {
        ArrayNode array = array(node, path);
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = doubleValue(array.get(i), path + "[" + i + "]");
        }
        return values;
    }

    private static ModelFormatException typeError(String path, String expected, JsonNode actual) {
        return new ModelFormatException(path, "expected " + expected + ", got " + describe(actual));
    }

    /** A JSON value for a message: its type, and the value itself when it is short. */
    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> {
                String text = node.textValue();
                yield "string \""
                        + (text.length() <= 40 ? text : text.substring(0, 40) + "...")
                        + "\"";
            }
            case NUMBER -> "number " + node.asText();
            case BOOLEAN -> "boolean " + node.asText();
            case NULL -> "null";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
