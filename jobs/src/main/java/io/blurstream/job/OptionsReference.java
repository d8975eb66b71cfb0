package io.blurstream.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;
import org.apache.flink.util.TimeUtils;

/**
 * The reference of the forecast job's options, generated from their definitions ({@link
 * ForecastJobOptions#all}): as plain text for {@code --help}, and as the Markdown of {@code
 * docs/configuration.md}, which a test keeps equal to it.
 */
public final class OptionsReference {

    private static final int WIDTH = 78;

    private OptionsReference() {}

    /** Every option: key, type and default, then its description wrapped below. */
    public static String text() {
        StringBuilder out = new StringBuilder();
        out.append("  --blur.kafka.properties.<kafka client key> <string>\n")
                .append("      Kafka client settings for every client of the job, e.g.\n")
                .append("      --blur.kafka.properties.security.protocol SASL_SSL.\n");
        for (ConfigOption<?> option : ForecastJobOptions.all()) {
            out.append("  --")
                    .append(option.key())
                    .append(" <")
                    .append(typeOf(option))
                    .append(">  [")
                    .append(defaultOf(option))
                    .append("]\n");
            for (String line : wrap(descriptionOf(option), WIDTH - 6)) {
                out.append("      ").append(line).append('\n');
            }
        }
        return out.toString();
    }

    /** The Markdown of {@code docs/configuration.md}. */
    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append(
                        """
                        # Configuration of the forecast job

                        Generated from `ForecastJobOptions` (`./blurstream job --markdown >
                        docs/configuration.md`); a test fails when this file and the option
                        definitions differ.

                        Give options in a YAML file (`--config FILE`, keys nested or flat) and as
                        `--key value` arguments, which override the file. Keys outside `blur.` are
                        Flink options for the job's environment. An unknown `blur.` key, or a value
                        that does not parse as its type, stops the job before it starts, naming the
                        option.

                        Kafka client settings for every client of the job (sources, sinks, the
                        start-up topic check) go under `blur.kafka.properties.`, e.g.
                        `blur.kafka.properties.security.protocol: SASL_SSL` (see
                        [operations.md](operations.md)). The job's own settings (bootstrap servers,
                        isolation, transactions) win over them.

                        Durations take a unit (`500 ms`, `10 s`, `5 min`); lists are separated by
                        `;`.

                        """)
                .append("| option | type | default | description |\n")
                .append("|---|---|---|---|\n");
        for (ConfigOption<?> option : ForecastJobOptions.all()) {
            out.append("| `")
                    .append(option.key())
                    .append("` | ")
                    .append(typeOf(option).replace("|", " \\| "))
                    .append(" | ")
                    .append(option.hasDefaultValue() ? "`" + defaultOf(option) + "`" : "—")
                    .append(" | ")
                    .append(descriptionOf(option).replace("|", "\\|"))
                    .append(" |\n");
        }
        return out.toString();
    }

    /** The option's type in words; options without a default are strings. */
    static String typeOf(ConfigOption<?> option) {
        if (!option.hasDefaultValue()) {
            return "string";
        }
        Object value = option.defaultValue();
        if (value instanceof List) {
            return "list";
        } else if (value instanceof Duration) {
            return "duration";
        } else if (value instanceof Integer) {
            return "int";
        } else if (value instanceof Long) {
            return "long";
        } else if (value instanceof Enum<?> e) {
            return Arrays.stream(e.getDeclaringClass().getEnumConstants())
                    .map(Object::toString)
                    .collect(Collectors.joining("|"));
        }
        return "string";
    }

    static String defaultOf(ConfigOption<?> option) {
        if (!option.hasDefaultValue()) {
            return "none";
        }
        Object value = option.defaultValue();
        if (value instanceof Duration d) {
            return d.isZero() ? "0 ms" : TimeUtils.formatWithHighestUnit(d);
        } else if (value instanceof List<?> list) {
            return list.stream().map(Object::toString).collect(Collectors.joining(";"));
        }
        return String.valueOf(value);
    }

    static String descriptionOf(ConfigOption<?> option) {
        StringBuilder text = new StringBuilder();
        for (BlockElement block : option.description().getBlocks()) {
            if (block instanceof TextElement element) {
                text.append(text.isEmpty() ? "" : " ").append(element.getFormat());
            }
        }
        return text.toString();
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.isEmpty() ? "" : " ").append(word);
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }
}
