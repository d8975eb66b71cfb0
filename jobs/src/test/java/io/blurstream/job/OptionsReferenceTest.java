package io.blurstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

class OptionsReferenceTest {

    @Test
    void docsConfigurationIsTheReferenceGeneratedFromTheOptions() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("docs"))) {
            root = root.getParent();
        }
        assertThat(Files.readString(root.resolve("docs/configuration.md")))
                .as(
                        "docs/configuration.md is out of date: ./blurstream job --markdown >"
                                + " docs/configuration.md")
                .isEqualTo(OptionsReference.markdown());
    }

    @Test
    void helpAndDocsListEveryOptionWithItsTypeDefaultAndDescription() {
        String text = OptionsReference.text();
        String markdown = OptionsReference.markdown();
        for (ConfigOption<?> option : ForecastJobOptions.all()) {
            String description = OptionsReference.descriptionOf(option);
            assertThat(description).as(option.key()).isNotBlank();
            assertThat(text).contains("--" + option.key() + " <" + OptionsReference.typeOf(option));
            assertThat(markdown).contains("| `" + option.key() + "` | ");
            assertThat(markdown).contains(description.replace("|", "\\|"));
        }
        assertThat(text)
                .contains("--blur.checkpoint.interval <duration>  [10 s]")
                .contains("--blur.kafka.bootstrap-servers <string>  [none]")
                .contains("--blur.sink.transaction-naming <INCREMENTING|POOLING>  [POOLING]")
                .contains("--blur.topics.readings <list>  [sensors]");
    }
}
