package io.blurstream.model.layer;

import io.blurstream.model.BlurConfig;
import io.blurstream.model.BlurParameters;

/** Builds the {@link RecurrentCore} a configuration's {@code recurrence} names. */
final class RecurrentCores {

    private RecurrentCores() {}

    static RecurrentCore create(
            BlurConfig config, BlurParameters parameters, String prefix, String[] directions) {
        return switch (config.recurrence()) {
            case DIAGONAL ->
                    new DiagonalLruCore(
                            parameters, prefix, config.hidden(), config.state(), directions);
        };
    }
}
