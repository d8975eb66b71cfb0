package io.blurstream.model.update;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blurstream.model.BlurModel;
import io.blurstream.model.io.ModelCodec;
import io.blurstream.model.io.ModelFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The wire format of the model topic: signed model files, split into chunks, and signed control
 * messages.
 *
 * <h2>A record</h2>
 *
 * <pre>
 * {"header": "{\"format\":\"blurstream-model-update\",\"formatVersion\":1,\"kind\":\"model\",...}",
 *  "signature": "base64", "chunk": 0, "data": "base64 of this chunk of the model file"}
 * </pre>
 *
 * The header is a JSON object carried as a string; the signature covers its UTF-8 bytes as sent, so
 * nobody has to agree on a canonical JSON form. Header members: {@code format}, {@code
 * formatVersion}, {@code kind} ({@code model}, {@code promote}, {@code rollback}, {@code retire}),
 * {@code modelId}, {@code version}, {@code algorithm} ({@code HMAC-SHA256} or {@code Ed25519}),
 * {@code issuedAt} (epoch ms), {@code metadata} (an object, optional), and for {@code model}:
 * {@code stage} ({@code serve} or {@code shadow}), {@code sha256} and {@code bytes} of the whole
 * file, and {@code chunks}. Control messages have no {@code chunk} or {@code data}.
 *
 * <h2>Chunks</h2>
 *
 * A model file is cut into pieces of at most {@code chunkBytes} (default {@value
 * #DEFAULT_CHUNK_BYTES} bytes, which base64 keeps under Kafka's default 1 MB message limit). Every
 * chunk carries the same signed header; the job puts the file together when all {@code chunks} have
 * arrived and then checks the header's SHA-256, so the signature covers every chunk. Chunks of one
 * file must be sent to one partition (the publisher keys them by model id) and may arrive in any
 * order; a chunk of a different upload in between is fine.
 */
public final class UpdateMessages {

    public static final String FORMAT = "blurstream-model-update";
    public static final int FORMAT_VERSION = 1;
    public static final int DEFAULT_CHUNK_BYTES = 256 * 1024;

    /** Largest model file an update may announce: 1 GiB. */
    public static final long MAX_MODEL_BYTES = 1L << 30;

    private static final Set<String> RECORD_FIELDS = Set.of("header", "signature", "chunk", "data");
    private static final Set<String> HEADER_FIELDS =
            Set.of(
                    "format",
                    "formatVersion",
                    "kind",
                    "modelId",
                    "version",
                    "stage",
                    "sha256",
                    "bytes",
                    "chunks",
                    "algorithm",
                    "issuedAt",
                    "metadata");

    private static final JsonMapper MAPPER =
            JsonMapper.builder(
                            JsonFactory.builder()
                                    .streamReadConstraints(
                                            StreamReadConstraints.builder()
                                                    .maxStringLength(Integer.MAX_VALUE)
                                                    .build())
                                    .build())
                    .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                    .build();

    private UpdateMessages() {}

    // ---------------------------------------------------------------------------------- writing

    /**
     * The records that publish a model file: one per chunk, each with the signed header.
     *
     * @param header the signed header
     * @param records the Kafka record values, chunk 0 first
     */
    public record Upload(UpdateHeader header, List<byte[]> records) {}

    /**
     * The records that publish {@code modelFile}: one per chunk, each with the signed header.
     *
     * @throws ModelFormatException if {@code modelFile} is not a valid model file
     */
    public static Upload model(
            byte[] modelFile,
            UpdateStage stage,
            Map<String, Object> metadata,
            UpdateSigner signer,
            int chunkBytes,
            long issuedAtMillis)
            throws ModelFormatException {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunkBytes must be ≥ 1, got " + chunkBytes);
        }
        BlurModel model = ModelCodec.read(modelFile);
        int chunks = Math.max(1, (int) ((modelFile.length + (long) chunkBytes - 1) / chunkBytes));
        UpdateHeader header =
                new UpdateHeader(
                        UpdateKind.MODEL,
                        model.modelId(),
                        model.version(),
                        stage,
                        sha256Hex(modelFile),
                        modelFile.length,
                        chunks,
                        signer.algorithm(),
                        issuedAtMillis,
                        metadata);
        String headerJson = headerJson(header);
        String signature = sign(headerJson, signer);
        List<byte[]> records = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int from = (int) Math.min(modelFile.length, (long) c * chunkBytes);
            int to = (int) Math.min(modelFile.length, (long) from + chunkBytes);
            ObjectNode record = MAPPER.createObjectNode();
            record.put("header", headerJson);
            record.put("signature", signature);
            record.put("chunk", c);
            record.put(
                    "data",
                    Base64.getEncoder()
                            .encodeToString(java.util.Arrays.copyOfRange(modelFile, from, to)));
            records.add(bytes(record));
        }
        return new Upload(header, List.copyOf(records));
    }

    /** The record of a control message ({@code promote}, {@code rollback}, {@code retire}). */
    public static byte[] control(
            UpdateKind kind,
            String modelId,
            long version,
            UpdateSigner signer,
            long issuedAtMillis) {
        if (kind == UpdateKind.MODEL) {
            throw new IllegalArgumentException("a model update carries a file: use model(...)");
        }
        UpdateHeader header =
                new UpdateHeader(
                        kind,
                        modelId,
                        version,
                        null,
                        null,
                        0,
                        1,
                        signer.algorithm(),
                        issuedAtMillis,
                        Map.of());
        String headerJson = headerJson(header);
        ObjectNode record = MAPPER.createObjectNode();
        record.put("header", headerJson);
        record.put("signature", sign(headerJson, signer));
        return bytes(record);
    }

    private static String headerJson(UpdateHeader header) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("format", FORMAT);
        node.put("formatVersion", FORMAT_VERSION);
        node.put("kind", header.kind().wireName());
        node.put("modelId", header.modelId());
        node.put("version", header.version());
        if (header.kind() == UpdateKind.MODEL) {
            node.put("stage", header.stage().wireName());
            node.put("sha256", header.sha256());
            node.put("bytes", header.bytes());
            node.put("chunks", header.chunks());
        }
        node.put("algorithm", header.algorithm());
        node.put("issuedAt", header.issuedAtMillis());
        if (!header.metadata().isEmpty()) {
            node.set("metadata", MAPPER.valueToTree(new LinkedHashMap<>(header.metadata())));
        }
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata is not JSON-serialisable", e);
        }
    }

    private static String sign(String headerJson, UpdateSigner signer) {
        return Base64.getEncoder()
                .encodeToString(signer.sign(headerJson.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] bytes(ObjectNode record) {
        try {
            return MAPPER.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    // ---------------------------------------------------------------------------------- reading

    /**
     * Reads one record of the model topic. Checks its form only; whether to trust it is {@link
     * #checkSignature}'s question.
     *
     * @throws UpdateFormatException naming what is wrong
     */
    public static UpdateMessage read(byte[] record) throws UpdateFormatException {
        if (record == null || record.length == 0) {
            throw new UpdateFormatException("empty record");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(record);
        } catch (IOException e) {
            throw new UpdateFormatException("not JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new UpdateFormatException(
                    "not a model update (a JSON object with a signed header); a bare model file"
                            + " must be published with `blurstream publish-model`");
        }
        if (!root.has("header") && root.has("format")) {
            throw new UpdateFormatException(
                    "a bare model file, not a signed update: publish it with `blurstream"
                            + " publish-model`");
        }
        checkFields(root, RECORD_FIELDS, "record");
        String headerJson = text(root, "header", "record");
        byte[] signature = base64(text(root, "signature", "record"), "signature");
        UpdateHeader header = parseHeader(headerJson);
        int chunk = 0;
        byte[] data = new byte[0];
        if (header.kind() == UpdateKind.MODEL) {
            JsonNode index = root.get("chunk");
            if (index == null || !index.canConvertToInt() || !index.isIntegralNumber()) {
                throw new UpdateFormatException("record.chunk: an integer is required");
            }
            chunk = index.intValue();
            if (chunk < 0 || chunk >= header.chunks()) {
                throw new UpdateFormatException(
                        "record.chunk: " + chunk + " is outside 0.." + (header.chunks() - 1));
            }
            data = base64(text(root, "data", "record"), "data");
        } else if (root.has("chunk") || root.has("data")) {
            throw new UpdateFormatException(
                    "record: a " + header.kind().wireName() + " message carries no chunk or data");
        }
        return new UpdateMessage(headerJson, header, signature, chunk, data);
    }

    private static UpdateHeader parseHeader(String headerJson) throws UpdateFormatException {
        JsonNode node;
        try {
            node = MAPPER.readTree(headerJson);
        } catch (IOException e) {
            throw new UpdateFormatException("header: not JSON: " + firstLine(e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            throw new UpdateFormatException("header: not a JSON object");
        }
        checkFields(node, HEADER_FIELDS, "header");
        String format = text(node, "format", "header");
        if (!format.equals(FORMAT)) {
            throw new UpdateFormatException(
                    "header.format: \"" + format + "\", expected \"" + FORMAT + "\"");
        }
        long formatVersion = integer(node, "formatVersion");
        if (formatVersion != FORMAT_VERSION) {
            throw new UpdateFormatException(
                    "header.formatVersion: "
                            + formatVersion
                            + "; this build reads version "
                            + FORMAT_VERSION);
        }
        UpdateKind kind;
        try {
            kind = UpdateKind.ofWireName(text(node, "kind", "header"));
        } catch (IllegalArgumentException e) {
            throw new UpdateFormatException("header.kind: " + e.getMessage());
        }
        String modelId = text(node, "modelId", "header");
        long version = integer(node, "version");
        String algorithm = text(node, "algorithm", "header");
        long issuedAt = integer(node, "issuedAt");
        Map<String, Object> metadata = Map.of();
        JsonNode meta = node.get("metadata");
        if (meta != null) {
            if (!meta.isObject()) {
                throw new UpdateFormatException("header.metadata: must be an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> read = MAPPER.convertValue(meta, LinkedHashMap.class);
            metadata = read;
        }
        if (kind != UpdateKind.MODEL) {
            for (String modelOnly : List.of("stage", "sha256", "bytes", "chunks")) {
                if (node.has(modelOnly)) {
                    throw new UpdateFormatException(
                            "header." + modelOnly + ": only model updates have it");
                }
            }
            return new UpdateHeader(
                    kind, modelId, version, null, null, 0, 1, algorithm, issuedAt, metadata);
        }
        UpdateStage stage;
        try {
            stage = UpdateStage.ofWireName(text(node, "stage", "header"));
        } catch (IllegalArgumentException e) {
            throw new UpdateFormatException("header.stage: " + e.getMessage());
        }
        String sha256 = text(node, "sha256", "header");
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new UpdateFormatException("header.sha256: 64 lower-case hex digits required");
        }
        long bytes = integer(node, "bytes");
        if (bytes < 1 || bytes > MAX_MODEL_BYTES) {
            throw new UpdateFormatException(
                    "header.bytes: " + bytes + " is outside 1.." + MAX_MODEL_BYTES);
        }
        long chunks = integer(node, "chunks");
        if (chunks < 1 || chunks > bytes) {
            throw new UpdateFormatException(
                    "header.chunks: " + chunks + " is outside 1.." + bytes + " (the file's bytes)");
        }
        return new UpdateHeader(
                kind,
                modelId,
                version,
                stage,
                sha256,
                bytes,
                (int) chunks,
                algorithm,
                issuedAt,
                metadata);
    }

    /** Why {@code message} is not signed by {@code verifier}'s key, or null if it is. */
    public static String checkSignature(UpdateMessage message, UpdateVerifier verifier) {
        String algorithm = message.header().algorithm();
        if (!algorithm.equals(verifier.algorithm())) {
            return "signed with "
                    + algorithm
                    + " but the job verifies "
                    + verifier.algorithm()
                    + " signatures";
        }
        if (!verifier.verify(
                message.headerJson().getBytes(StandardCharsets.UTF_8), message.signature())) {
            return "bad signature: not signed by the job's " + algorithm + " key";
        }
        return null;
    }

    /**
     * The model file of an upload whose chunks have all arrived, checked against the size and
     * SHA-256 its signed header names.
     *
     * @param chunks the chunk bytes by index, none missing
     * @throws UpdateFormatException {@code checksum mismatch: ...} if they do not add up
     */
    public static byte[] join(UpdateHeader header, byte[][] chunks) throws UpdateFormatException {
        int length = 0;
        for (byte[] chunk : chunks) {
            length += chunk.length;
        }
        byte[] file = new byte[length];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, file, at, chunk.length);
            at += chunk.length;
        }
        String sha = sha256Hex(file);
        if (file.length != header.bytes() || !sha.equals(header.sha256())) {
            throw new UpdateFormatException(
                    "checksum mismatch: the "
                            + chunks.length
                            + " chunks make "
                            + file.length
                            + " bytes with SHA-256 "
                            + sha
                            + ", the signed header says "
                            + header.bytes()
                            + " bytes with "
                            + header.sha256());
        }
        return file;
    }

    /** Hex SHA-256 of {@code bytes}. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void checkFields(JsonNode node, Set<String> known, String where)
            throws UpdateFormatException {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new UpdateFormatException(where + "." + name + ": unknown member");
            }
        }
    }

    private static String text(JsonNode node, String field, String where)
            throws UpdateFormatException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new UpdateFormatException(where + "." + field + ": a string is required");
        }
        return value.textValue();
    }

    private static long integer(JsonNode node, String field) throws UpdateFormatException {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new UpdateFormatException("header." + field + ": an integer is required");
        }
        return value.longValue();
    }

    private static byte[] base64(String text, String field) throws UpdateFormatException {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new UpdateFormatException("record." + field + ": not base64");
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
