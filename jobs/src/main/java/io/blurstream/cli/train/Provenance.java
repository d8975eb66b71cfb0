package io.blurstream.cli.train;

import io.blurstream.model.BlurModel;
import io.blurstream.training.blur.TrainingResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metadata a trained model file carries: where it comes from (dataset, protocol, the command
 * that reproduces it) and how good it is (validation and test errors, best epoch).
 */
final class Provenance {

    private Provenance() {}

    static BlurModel attach(
            TrainingResult result, String dataset, String protocol, String command) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("dataset", dataset);
        metadata.put("protocol", protocol);
        metadata.put("train.command", command);
        metadata.put("train.bestEpoch", Integer.toString(result.bestEpoch()));
        metadata.put("test.mse", Double.toString(result.test().mse()));
        metadata.put("test.mae", Double.toString(result.test().mae()));
        metadata.put("validation.mse", Double.toString(result.validation().mse()));
        metadata.put("validation.mae", Double.toString(result.validation().mae()));
        BlurModel trained = result.model();
        return new BlurModel(
                trained.modelId(),
                trained.version(),
                trained.createdAt(),
                trained.config(),
                trained.scaler(),
                metadata,
                trained.parameters());
    }
}
