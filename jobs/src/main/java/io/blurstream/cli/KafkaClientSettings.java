package io.blurstream.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * {@code --kafka-config FILE}: Kafka client settings for a command's clients (SASL, TLS and the
 * like), a Java properties file as Kafka's own tools take with {@code --command-config}.
 */
public final class KafkaClientSettings {

    /** The option's name, for {@link Arguments#checkOptions}. */
    public static final String OPTION = "kafka-config";

    private KafkaClientSettings() {}

    /** The settings the arguments name; none without {@code --kafka-config}. */
    public static Properties of(Arguments args) {
        Properties settings = new Properties();
        String file = args.string(OPTION, null);
        if (file == null) {
            return settings;
        }
        try (Reader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            settings.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "--" + OPTION + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        return settings;
    }
}
