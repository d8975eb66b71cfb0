package io.blurstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blurstream.model.BlurModel;
import io.blurstream.model.io.ModelCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train}, {@code eval} and {@code benchmark-suite} end to end on the smallest shipped
 * dataset (national_illness: 966 weekly rows, lookback 36) with a tiny network.
 */
class TrainingCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void trainWritesAModelThatEvalScoresTheSameAsTraining(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("ili.json");
        CommandLine train =
                CommandLine.run(
                        "train",
                        "--dataset",
                        "national_illness",
                        "--horizon",
                        "24",
                        "--epochs",
                        "2",
                        "--hidden",
                        "8",
                        "--state",
                        "8",
                        "--layers",
                        "1",
                        "--batch",
                        "16",
                        "--out",
                        model.toString(),
                        "--json");
        assertThat(train.exit()).as(train.err()).isZero();
        JsonNode trained = JSON.readTree(train.lastOutLine());
        assertThat(trained.path("dataset").asText()).isEqualTo("national_illness");
        assertThat(trained.path("horizon").asInt()).isEqualTo(24);
        assertThat(trained.path("mse").asDouble()).isPositive().isFinite();
        assertThat(trained.path("epochs").asInt()).isBetween(1, 2);

        BlurModel loaded = ModelCodec.read(model);
        assertThat(loaded.config().window()).isEqualTo(36);
        assertThat(loaded.metadata()).containsKey("train.command");
        assertThat(loaded.metadata().get("train.command"))
                .contains("--dataset national_illness")
                .contains("--horizon 24");
        Path report = dir.resolve("ili.report.json");
        assertThat(JSON.readTree(report.toFile()).path("curve").size())
                .isEqualTo(trained.path("epochs").asInt());
        assertThat(dir.resolve("ili.report.md")).content().contains("| epoch |");

        // eval forecasts raw windows with the model's own scaler: the same errors as training saw
        Path plot = dir.resolve("ili.svg");
        CommandLine eval =
                CommandLine.run(
                        "eval",
                        "--model",
                        model.toString(),
                        "--dataset",
                        "national_illness",
                        "--plot",
                        plot.toString(),
                        "--json");
        assertThat(eval.exit()).as(eval.err()).isZero();
        JsonNode evaluated = JSON.readTree(eval.lastOutLine());
        assertThat(evaluated.path("horizon").asInt()).isEqualTo(24);
        assertThat(evaluated.path("mse").asDouble())
                .isCloseTo(trained.path("mse").asDouble(), Percentage.withPercentage(1e-3));
        assertThat(evaluated.path("mae").asDouble())
                .isCloseTo(trained.path("mae").asDouble(), Percentage.withPercentage(1e-3));
        assertThat(evaluated.path("results").size()).isEqualTo(1);
        String svg = Files.readString(plot);
        assertThat(svg).startsWith("<svg").contains("forecast").contains("learning curves");
    }

    @Test
    void evalRejectsAModelOfAnotherDataset(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("ili.json");
        CommandLine train =
                CommandLine.run(
                        "train",
                        "--dataset",
                        "national_illness",
                        "--horizon",
                        "24",
                        "--epochs",
                        "1",
                        "--hidden",
                        "4",
                        "--state",
                        "4",
                        "--layers",
                        "1",
                        "--out",
                        model.toString());
        assertThat(train.exit()).as(train.err()).isZero();
        CommandLine eval =
                CommandLine.run("eval", "--model", model.toString(), "--dataset", "exchange_rate");
        assertThat(eval.exit()).isNotZero();
        assertThat(eval.err()).contains("forecasts channels");
    }

    @Test
    void univariateModelsForecastTheTargetChannelOnly(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("ili-ot.json");
        CommandLine train =
                CommandLine.run(
                        "train",
                        "--dataset",
                        "national_illness",
                        "--protocol",
                        "univariate",
                        "--horizon",
                        "24",
                        "--epochs",
                        "1",
                        "--hidden",
                        "4",
                        "--state",
                        "4",
                        "--layers",
                        "1",
                        "--model",
                        "lru",
                        "--out",
                        model.toString(),
                        "--json");
        assertThat(train.exit()).as(train.err()).isZero();
        BlurModel loaded = ModelCodec.read(model);
        assertThat(loaded.config().channels()).containsExactly("OT");
        assertThat(loaded.metadata()).containsEntry("protocol", "univariate");
        CommandLine eval =
                CommandLine.run(
                        "eval",
                        "--model",
                        model.toString(),
                        "--dataset",
                        "national_illness",
                        "--plot",
                        dir.resolve("p.svg").toString(),
                        "--json");
        assertThat(eval.exit()).as(eval.err()).isZero();
        assertThat(JSON.readTree(eval.lastOutLine()).path("mse").asDouble())
                .isCloseTo(
                        JSON.readTree(train.lastOutLine()).path("mse").asDouble(),
                        Percentage.withPercentage(1e-3));
    }

    @Test
    void benchmarkSuitePrintsOneRowPerDatasetHorizonAndModel() throws Exception {
        CommandLine suite =
                CommandLine.run(
                        "benchmark-suite",
                        "--datasets",
                        "national_illness",
                        "--horizons",
                        "24",
                        "--models",
                        "dlinear,lru",
                        "--epochs",
                        "1",
                        "--hidden",
                        "8",
                        "--state",
                        "8",
                        "--layers",
                        "1",
                        "--json");
        assertThat(suite.exit()).as(suite.err()).isZero();
        JsonNode results = JSON.readTree(suite.lastOutLine()).path("results");
        assertThat(results.size()).isEqualTo(2);
        assertThat(results.get(0).path("model").asText()).isEqualTo("dlinear");
        assertThat(results.get(1).path("model").asText()).isEqualTo("lru");
        for (JsonNode row : results) {
            assertThat(row.path("dataset").asText()).isEqualTo("national_illness");
            assertThat(row.path("mse").asDouble()).isPositive().isFinite();
        }
    }

    @Test
    void unknownDatasetsAndModelsNameTheChoices() {
        CommandLine train = CommandLine.run("train", "--dataset", "ETTh9");
        assertThat(train.exit()).isEqualTo(2);
        assertThat(train.err()).contains("ETTh1");
        CommandLine model = CommandLine.run("train", "--dataset", "ETTh1", "--model", "gru");
        assertThat(model.exit()).isEqualTo(2);
        assertThat(model.err()).contains("blur or lru");
    }
}
