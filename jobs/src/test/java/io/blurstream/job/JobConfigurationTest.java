package io.blurstream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigurationTest {

    @Test
    void aYamlFileNestedOrFlatAndArgumentsThatOverrideItMakeTheTypedOptions(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("blur.yaml");
        Files.writeString(
                file,
                """
                blur:
                  kafka:
                    bootstrap-servers: kafka:9092
                  topics:
                    readings: [sensors.load, sensors.temperature]
                  window.size: 48
                blur.checkpoint.interval: 30 s
                blur.sink.transaction-naming: INCREMENTING
                execution.checkpointing.dir: file:///checkpoints
                """);
        Configuration options =
                JobConfiguration.parse(
                        "--config",
                        file.toString(),
                        "--blur.window.size",
                        "96",
                        "--blur.topics.forecasts=out");
        assertThat(options.get(ForecastJobOptions.BOOTSTRAP_SERVERS)).isEqualTo("kafka:9092");
        assertThat(options.get(ForecastJobOptions.READING_TOPICS))
                .isEqualTo(List.of("sensors.load", "sensors.temperature"));
        assertThat(options.get(ForecastJobOptions.WINDOW_SIZE)).isEqualTo(96);
        assertThat(options.get(ForecastJobOptions.FORECAST_TOPIC)).isEqualTo("out");
        assertThat(options.get(ForecastJobOptions.CHECKPOINT_INTERVAL))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(options.get(ForecastJobOptions.TRANSACTION_NAMING))
                .isEqualTo(TransactionNamingStrategy.INCREMENTING);
        assertThat(options.toMap())
                .containsEntry("execution.checkpointing.dir", "file:///checkpoints");
        // what nobody set keeps its default
        assertThat(options.get(ForecastJobOptions.MODEL_TOPIC)).isEqualTo("models");
    }

    @Test
    void kafkaClientSettingsPassUnderTheirPrefix() {
        Configuration options =
                JobConfiguration.parse(
                        "--blur.kafka.properties.security.protocol",
                        "SASL_SSL",
                        "--blur.kafka.properties.sasl.mechanism=SCRAM-SHA-512");
        assertThat(ForecastJobOptions.kafkaProperties(options))
                .containsOnly(
                        org.assertj.core.api.Assertions.entry("security.protocol", "SASL_SSL"),
                        org.assertj.core.api.Assertions.entry("sasl.mechanism", "SCRAM-SHA-512"));
    }

    @Test
    void sinksBatchUntilTheirCommitUnlessTheUserSaysOtherwise() {
        Properties defaults = ForecastJob.sinkProducerProperties(JobConfiguration.parse());
        assertThat(defaults)
                .containsEntry("linger.ms", "50")
                .containsEntry("batch.size", "262144")
                .containsEntry("retry.backoff.ms", "10")
                .containsEntry(
                        "transaction.timeout.ms",
                        String.valueOf(
                                ForecastJobOptions.TRANSACTION_TIMEOUT.defaultValue().toMillis()));

        Properties told =
                ForecastJob.sinkProducerProperties(
                        JobConfiguration.parse(
                                "--blur.kafka.properties.linger.ms=0",
                                "--blur.kafka.properties.batch.size=16384"));
        assertThat(told).containsEntry("linger.ms", "0").containsEntry("batch.size", "16384");
    }

    @Test
    void anUnknownBlurKeyIsRefusedWithTheNearestKnownOne() {
        assertThatThrownBy(() -> JobConfiguration.parse("--blur.window.sise", "96"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option blur.window.sise")
                .hasMessageContaining("did you mean blur.window.size?");
    }

    @Test
    void aValueOfTheWrongTypeNamesItsOption() {
        assertThatThrownBy(() -> JobConfiguration.parse("--blur.checkpoint.interval", "often"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "blur.checkpoint.interval: cannot read \"often\" as duration");
        assertThatThrownBy(() -> JobConfiguration.parse("--blur.window.size", "wide"))
                .hasMessageContaining("blur.window.size: cannot read \"wide\" as int");
    }

    @Test
    void malformedArgumentsAndFilesAreNamed(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> JobConfiguration.parse("blur.window.size", "96"))
                .hasMessageContaining("expected --key value");
        assertThatThrownBy(() -> JobConfiguration.parse("--blur.window.size"))
                .hasMessageContaining("--blur.window.size needs a value");
        assertThatThrownBy(
                        () ->
                                JobConfiguration.parse(
                                        "--config", dir.resolve("none.yaml").toString()))
                .hasMessageContaining("none.yaml: cannot read it");
        Path list = dir.resolve("list.yaml");
        Files.writeString(list, "- blur.window.size\n");
        assertThatThrownBy(() -> JobConfiguration.parse("--config", list.toString()))
                .hasMessageContaining("expected a mapping of option keys to values");
    }
}
