package io.blurstream.cli.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.blurstream.training.blur.EpochRecord;
import io.blurstream.training.blur.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a training run, beside the model file: {@code NAME.report.json} for scripts and
 * {@code NAME.report.md} for people, with the settings, the learning curves and the final errors.
 */
final class RunReport {

    private RunReport() {}

    static Path jsonPath(Path modelFile) {
        return sibling(modelFile, ".report.json");
    }

    static Path markdownPath(Path modelFile) {
        return sibling(modelFile, ".report.md");
    }

    static void write(
            Path modelFile, TrainCommand.TrainingSetup setup, TrainingResult result, double seconds)
            throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("command", setup.commandLine());
        report.put("dataset", setup.dataset().name());
        report.put("protocol", setup.protocol().name().toLowerCase(Locale.ROOT));
        report.put("model", setup.modelName());
        report.put("config", setup.config());
        report.put("options", setup.options());
        report.put("bestEpoch", result.bestEpoch());
        report.put("stoppedEarly", result.stoppedEarly());
        report.put("validation", errors(result.validation()));
        report.put("test", errors(result.test()));
        report.put("seconds", seconds);
        report.put("curve", result.curve());
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(jsonPath(modelFile).toFile(), report);
        Files.writeString(markdownPath(modelFile), markdown(setup, result, seconds));
    }

    private static Map<String, Object> errors(io.blurstream.training.eval.ErrorAccumulator e) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("mse", e.mse());
        map.put("mae", e.mae());
        map.put("windows", e.count());
        return map;
    }

    private static String markdown(
            TrainCommand.TrainingSetup setup, TrainingResult result, double seconds) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(setup.modelId()).append("\n\n");
        md.append("Reproduce with `").append(setup.commandLine()).append("`.\n\n");
        md.append(
                String.format(
                        Locale.ROOT,
                        "| split | MSE | MAE |\n|---|---:|---:|\n| validation | %.4f | %.4f |\n"
                                + "| test | %.4f | %.4f |\n\n",
                        result.validation().mse(),
                        result.validation().mae(),
                        result.test().mse(),
                        result.test().mae()));
        md.append(
                String.format(
                        Locale.ROOT,
                        "Best epoch %d of %d%s; %.1f s in all. Errors are in standardised units"
                                + " (the scaler fitted on the training split).\n\n",
                        result.bestEpoch(),
                        result.curve().size(),
                        result.stoppedEarly() ? " (stopped early)" : "",
                        seconds));
        md.append("## Learning curve\n\n");
        md.append("| epoch | train loss | val MSE | val MAE | lr | seconds |\n");
        md.append("|---:|---:|---:|---:|---:|---:|\n");
        List<EpochRecord> curve = result.curve();
        for (EpochRecord e : curve) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %d | %.4f | %.4f | %.4f | %.2e | %.1f |\n",
                            e.epoch(),
                            e.trainLoss(),
                            e.validationMse(),
                            e.validationMae(),
                            e.learningRate(),
                            e.seconds()));
        }
        md.append("\n## Settings\n\n```\n")
                .append(setup.config())
                .append("\n")
                .append(setup.options())
                .append("\n```\n");
        return md.toString();
    }

    private static Path sibling(Path modelFile, String suffix) {
        String name = modelFile.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return modelFile.resolveSibling(stem + suffix);
    }
}
