package io.blurstream.operators.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which sensors exist, which group and channel each one feeds, and how each group is put on its
 * grid. Loaded once from a YAML (or JSON, which is YAML too) file, validated completely, then
 * immutable; {@link Serializable} because Flink ships it inside the functions that use it.
 *
 * <pre>
 * version: 1
 * groups:
 *   transformer-1:
 *     step: 1h                 # grid step: 250ms, 30s, 15m, 1h, 1d, or an integer (ms); > 0
 *     allowedLateness: 0       # optional, default 0; >= 0
 *     maxGapTicks: 24          # optional, default 24; >= 1
 *     maxStaleness: 3h         # optional group default for channels; default maxGapTicks * step
 *     fill: last               # optional group default for channels; default last
 *     model: ETTh1-blur-96     # optional: pin the group to this model id; default: the job's
 *                              # default model
 *     channels:                # model order; names unique
 *       - HUFL                 # shorthand: group defaults
 *       - {name: OT, fill: linear, maxStaleness: 2h}
 * sensors:
 *   etth1.HUFL: {group: transformer-1, channel: HUFL}
 * </pre>
 *
 * Every problem is reported as a {@link CatalogException} that names the file and the field path
 * ({@code groups.transformer-1.channels[1].fill}). Unknown members are errors, so a typo never
 * silently falls back to a default. Every channel must be fed by at least one sensor; a channel may
 * be fed by several (the readings are merged).
 */
public final class SourceCatalog implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The catalog format version this build reads. */
    public static final int FORMAT_VERSION = 1;

    static final int DEFAULT_MAX_GAP_TICKS = 24;

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

    private final Map<String, GroupSpec> groups;
    private final Map<String, SensorBinding> sensors;

    private SourceCatalog(Map<String, GroupSpec> groups, Map<String, SensorBinding> sensors) {
        this.groups = Collections.unmodifiableMap(groups);
        this.sensors = Collections.unmodifiableMap(sensors);
    }

    /** Loads and validates the catalog in {@code file}. */
    public static SourceCatalog load(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Loads and validates a catalog shipped on the class path, e.g. {@code catalogs/etth1.yaml}.
     */
    public static SourceCatalog fromResource(String resource) throws IOException {
        try (InputStream in = SourceCatalog.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new CatalogException(
                        "catalog resource " + resource + " is not on the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
        }
    }

    /** The prefix of a {@link #locate} location that names a class-path resource. */
    public static final String CLASSPATH_PREFIX = "classpath:";

    /**
     * Loads a catalog from a file path, or from the class path when the location starts with
     * {@value #CLASSPATH_PREFIX} (e.g. {@code classpath:catalogs/etth1.yaml}).
     */
    public static SourceCatalog locate(String location) throws IOException {
        return location.startsWith(CLASSPATH_PREFIX)
                ? fromResource(location.substring(CLASSPATH_PREFIX.length()))
                : load(Path.of(location));
    }

    /**
     * Parses and validates catalog text; {@code origin} (a file name) prefixes every error message.
     */
    public static SourceCatalog parse(String text, String origin) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        yaml.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        JsonNode root;
        try {
            root = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CatalogException(
                    "catalog " + origin + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        return new Reader(origin).read(root);
    }

    /** The group with id {@code groupId}, or null. */
    public GroupSpec group(String groupId) {
        return groups.get(groupId);
    }

    /** The binding of sensor {@code sensorId}, or null when the sensor is unknown. */
    public SensorBinding sensor(String sensorId) {
        return sensors.get(sensorId);
    }

    /** All groups, in file order. */
    public Map<String, GroupSpec> groups() {
        return groups;
    }

    /** All sensors, in file order. */
    public Map<String, SensorBinding> sensors() {
        return sensors;
    }

    /** The largest channel count of any group (sizes per-function scratch arrays). */
    public int maxChannelCount() {
        int max = 0;
        for (GroupSpec g : groups.values()) {
            max = Math.max(max, g.channelCount());
        }
        return max;
    }

    /**
     * Parses a duration: an integer with an optional unit {@code ms}, {@code s}, {@code m}, {@code
     * h}, {@code d} (no unit means milliseconds).
     *
     * @return the duration in milliseconds, or -1 when {@code text} is not of that form
     */
    static long parseDurationMillis(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            return -1;
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return -1;
        }
        String unit = m.group(2) == null ? "ms" : m.group(2);
        long factor =
                switch (unit) {
                    case "ms" -> 1L;
                    case "s" -> 1_000L;
                    case "m" -> 60_000L;
                    case "h" -> 3_600_000L;
                    default -> 86_400_000L;
                };
        if (amount > Long.MAX_VALUE / factor) {
            return -1;
        }
        return amount * factor;
    }

    /** Walks the parsed tree once, checking every field and naming it in every error. */
    private static final class Reader {
        private final String origin;

        Reader(String origin) {
            this.origin = origin;
        }

        SourceCatalog read(JsonNode root) {
            if (root == null || !root.isObject()) {
                throw error("", "must be a mapping with version, groups and sensors");
            }
            allowOnly(root, "", "version", "groups", "sensors");
            JsonNode version = require(root, "", "version");
            if (!version.isIntegralNumber() || version.asInt() != FORMAT_VERSION) {
                throw error(
                        "version",
                        "must be "
                                + FORMAT_VERSION
                                + " (the format this build reads), got "
                                + version);
            }
            JsonNode groupsNode = require(root, "", "groups");
            if (!groupsNode.isObject() || groupsNode.isEmpty()) {
                throw error("groups", "must be a non-empty mapping of group id to group");
            }
            Map<String, GroupSpec> groups = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : groupsNode.properties()) {
                groups.put(e.getKey(), readGroup(e.getKey(), e.getValue()));
            }
            JsonNode sensorsNode = require(root, "", "sensors");
            if (!sensorsNode.isObject() || sensorsNode.isEmpty()) {
                throw error("sensors", "must be a non-empty mapping of sensor id to binding");
            }
            Map<String, SensorBinding> ordered = new LinkedHashMap<>();
            Set<String> fedChannels = new HashSet<>();
            for (Map.Entry<String, JsonNode> e : sensorsNode.properties()) {
                SensorBinding b = readSensor(e.getKey(), e.getValue(), groups);
                ordered.put(b.sensorId(), b);
                fedChannels.add(b.groupId() + '\u0000' + b.channel());
            }
            for (GroupSpec g : groups.values()) {
                for (int c = 0; c < g.channelCount(); c++) {
                    if (!fedChannels.contains(g.id() + '\u0000' + c)) {
                        throw error(
                                "groups." + g.id() + ".channels[" + c + "]",
                                "channel "
                                        + g.channel(c).name()
                                        + " is fed by no sensor; add one under sensors or"
                                        + " remove the channel");
                    }
                }
            }
            return new SourceCatalog(groups, ordered);
        }

        private GroupSpec readGroup(String id, JsonNode node) {
            String path = "groups." + id;
            if (id.isBlank()) {
                throw error(path, "group id must not be blank");
            }
            if (!node.isObject()) {
                throw error(path, "must be a mapping");
            }
            allowOnly(
                    node,
                    path,
                    "step",
                    "allowedLateness",
                    "maxGapTicks",
                    "maxStaleness",
                    "fill",
                    "model",
                    "channels");
            long step = duration(require(node, path, "step"), path + ".step");
            if (step <= 0) {
                throw error(path + ".step", "must be > 0, got " + node.get("step"));
            }
            long lateness =
                    node.has("allowedLateness")
                            ? duration(node.get("allowedLateness"), path + ".allowedLateness")
                            : 0;
            int maxGapTicks = DEFAULT_MAX_GAP_TICKS;
            if (node.has("maxGapTicks")) {
                JsonNode gap = node.get("maxGapTicks");
                if (!gap.isIntegralNumber() || !gap.canConvertToInt() || gap.asInt() < 1) {
                    throw error(path + ".maxGapTicks", "must be an integer >= 1, got " + gap);
                }
                maxGapTicks = gap.asInt();
            }
            long defaultStaleness =
                    node.has("maxStaleness")
                            ? duration(node.get("maxStaleness"), path + ".maxStaleness")
                            : saturatedProduct(step, maxGapTicks);
            FillPolicy defaultFill =
                    node.has("fill") ? policy(node.get("fill"), path + ".fill") : FillPolicy.LAST;
            JsonNode channelsNode = require(node, path, "channels");
            if (!channelsNode.isArray() || channelsNode.isEmpty()) {
                throw error(path + ".channels", "must be a non-empty list of channels");
            }
            List<ChannelSpec> channels = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < channelsNode.size(); i++) {
                String cpath = path + ".channels[" + i + "]";
                ChannelSpec c =
                        readChannel(channelsNode.get(i), cpath, defaultFill, defaultStaleness);
                if (!names.add(c.name())) {
                    throw error(cpath, "channel " + c.name() + " is listed twice");
                }
                channels.add(c);
            }
            String pinned = null;
            if (node.has("model")) {
                pinned = name(node.get("model"), path + ".model");
            }
            return new GroupSpec(id, step, channels, maxGapTicks, lateness, pinned);
        }

        private ChannelSpec readChannel(
                JsonNode node, String path, FillPolicy defaultFill, long defaultStaleness) {
            if (node.isTextual()) {
                return new ChannelSpec(name(node, path), defaultFill, defaultStaleness);
            }
            if (!node.isObject()) {
                throw error(path, "must be a channel name or a mapping with name, fill, ...");
            }
            allowOnly(node, path, "name", "fill", "maxStaleness");
            String name = name(require(node, path, "name"), path + ".name");
            FillPolicy fill =
                    node.has("fill") ? policy(node.get("fill"), path + ".fill") : defaultFill;
            long staleness =
                    node.has("maxStaleness")
                            ? duration(node.get("maxStaleness"), path + ".maxStaleness")
                            : defaultStaleness;
            return new ChannelSpec(name, fill, staleness);
        }

        private SensorBinding readSensor(String id, JsonNode node, Map<String, GroupSpec> groups) {
            String path = "sensors." + id;
            if (id.isBlank()) {
                throw error(path, "sensor id must not be blank");
            }
            if (!node.isObject()) {
                throw error(path, "must be a mapping with group and channel");
            }
            allowOnly(node, path, "group", "channel");
            String groupId = name(require(node, path, "group"), path + ".group");
            GroupSpec group = groups.get(groupId);
            if (group == null) {
                throw error(
                        path + ".group",
                        "names unknown group " + groupId + "; groups are " + groups.keySet());
            }
            String channel = name(require(node, path, "channel"), path + ".channel");
            int index = group.channelIndex(channel);
            if (index < 0) {
                throw error(
                        path + ".channel",
                        "names unknown channel "
                                + channel
                                + " of group "
                                + groupId
                                + "; its channels are "
                                + group.channelNames());
            }
            return new SensorBinding(id, groupId, index);
        }

        private String name(JsonNode node, String path) {
            if (!node.isTextual() || node.asText().isBlank()) {
                throw error(path, "must be a non-blank string, got " + node);
            }
            return node.asText();
        }

        private FillPolicy policy(JsonNode node, String path) {
            FillPolicy p = node.isTextual() ? FillPolicy.fromCatalogName(node.asText()) : null;
            if (p == null) {
                throw error(
                        path, "unknown fill policy " + node + "; expected last, mean or linear");
            }
            return p;
        }

        private long duration(JsonNode node, String path) {
            long millis = -1;
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                millis = node.asLong();
            } else if (node.isTextual()) {
                millis = parseDurationMillis(node.asText());
            }
            if (millis < 0) {
                throw error(
                        path,
                        "must be a duration >= 0 such as 250ms, 30s, 15m, 1h, 1d or an integer"
                                + " number of milliseconds, got "
                                + node);
            }
            return millis;
        }

        private JsonNode require(JsonNode node, String path, String field) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                throw error(path.isEmpty() ? field : path + "." + field, "is required");
            }
            return value;
        }

        private void allowOnly(JsonNode node, String path, String... allowed) {
            Set<String> known = Set.of(allowed);
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!known.contains(field)) {
                    throw error(
                            path.isEmpty() ? field : path + "." + field,
                            "is not a known field; expected one of " + List.of(allowed));
                }
            }
        }

        private CatalogException error(String path, String message) {
            return new CatalogException(
                    "catalog " + origin + ": " + (path.isEmpty() ? "" : path + ": ") + message);
        }
    }

    private static long saturatedProduct(long a, long b) {
        long product = a * b;
        return (a != 0 && product / a != b) ? Long.MAX_VALUE : product;
    }
}
