package io.blurstream.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.blurstream.cli.Suggestions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The forecast job's configuration from its command line, the way {@code flink run} passes it to
 * the job jar: {@code --config FILE} names a YAML file of options, and {@code --key value} (or
 * {@code --key=value}) pairs set or override single options. Keys under {@code blur.} must be
 * {@link ForecastJobOptions}, and their values must parse as their types, or the job does not
 * start, except Kafka client settings under {@link ForecastJobOptions#KAFKA_PROPERTIES_PREFIX};
 * other keys are Flink options for the job's environment (e.g. {@code
 * execution.checkpointing.dir}).
 *
 * <p>The YAML file may nest keys ({@code blur: {topics: {forecasts: f}}}) or write them flat
 * ({@code blur.topics.forecasts: f}); a sequence is a list option (its items joined with {@code
 * ;}).
 */
public final class JobConfiguration {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private JobConfiguration() {}

    /**
     * The options the arguments give.
     *
     * @throws IllegalArgumentException naming the argument, file or option that is wrong
     */
    public static Configuration parse(String... args) {
        Map<String, String> file = new LinkedHashMap<>();
        Map<String, String> line = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException(
                        "expected --key value or --config FILE, got \"" + arg + "\"");
            }
            String key = arg.substring(2);
            String value;
            int equals = key.indexOf('=');
            if (equals >= 0) {
                value = key.substring(equals + 1);
                key = key.substring(0, equals);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + key + " needs a value");
            }
            if (key.equals("config")) {
                file.putAll(readYaml(Path.of(value)));
            } else {
                line.put(key, value);
            }
        }
        Map<String, String> all = new LinkedHashMap<>(file);
        all.putAll(line);
        return check(Configuration.fromMap(all));
    }

    /** Flat keys and string values of a YAML options file. */
    static Map<String, String> readYaml(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "--config " + file + ": cannot read it: " + e.getMessage(), e);
        }
        Map<String, String> flat = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return flat;
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(
                    "--config " + file + ": expected a mapping of option keys to values");
        }
        flatten("", root, flat, file);
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> flat, Path file) {
        if (node.isObject()) {
            node.fields()
                    .forEachRemaining(
                            e ->
                                    flatten(
                                            prefix.isEmpty()
                                                    ? e.getKey()
                                                    : prefix + "." + e.getKey(),
                                            e.getValue(),
                                            flat,
                                            file));
        } else if (node.isArray()) {
            StringJoiner items = new StringJoiner(";");
            for (JsonNode item : node) {
                if (item.isContainerNode()) {
                    throw new IllegalArgumentException(
                            "--config " + file + ": " + prefix + ": list items must be values");
                }
                items.add(item.asText());
            }
            flat.put(prefix, items.toString());
        } else {
            flat.put(prefix, node.isNull() ? "" : node.asText());
        }
    }

    /** Every {@code blur.} key known and its value readable as its type. */
    private static Configuration check(Configuration options) {
        Map<String, ConfigOption<?>> known = new LinkedHashMap<>();
        for (ConfigOption<?> option : ForecastJobOptions.all()) {
            known.put(option.key(), option);
        }
        for (String key : options.keySet()) {
            if (key.startsWith("blur.")
                    && !known.containsKey(key)
                    && !key.startsWith(ForecastJobOptions.KAFKA_PROPERTIES_PREFIX)) {
                throw new IllegalArgumentException(
                        "unknown option "
                                + key
                                + Suggestions.closest(key, known.keySet())
                                        .map(s -> " (did you mean " + s + "?)")
                                        .orElse("")
                                + "; --help lists the options");
            }
        }
        for (ConfigOption<?> option : known.values()) {
            try {
                options.get(option);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        option.key()
                                + ": cannot read \""
                                + options.toMap().get(option.key())
                                + "\" as "
                                + OptionsReference.typeOf(option)
                                + " ("
                                + e.getMessage()
                                + ")",
                        e);
            }
        }
        return options;
    }
}
