package io.blurstream.cli.models;

import io.blurstream.cli.Arguments;
import io.blurstream.cli.Blurstream;
import io.blurstream.cli.Command;
import io.blurstream.cli.Console;
import io.blurstream.cli.KafkaClientSettings;
import io.blurstream.model.BlurModel;
import io.blurstream.model.io.ModelCodec;
import io.blurstream.model.io.ModelFormatException;
import io.blurstream.model.update.UpdateKeys;
import io.blurstream.model.update.UpdateKind;
import io.blurstream.model.update.UpdateMessages;
import io.blurstream.model.update.UpdateSigner;
import io.blurstream.model.update.UpdateStage;
import io.blurstream.training.refit.ModelPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** {@code blurstream publish-model}: a signed model file or control message to the model topic. */
public final class PublishModelCommand implements Command {

    /** The {@code --json} summary. */
    public record Summary(
            String topic, String kind, String modelId, long version, String stage, int records) {}

    @Override
    public String name() {
        return "publish-model";
    }

    @Override
    public String summary() {
        return "Sign a model file (or a promote, rollback, retire) and publish it to the job";
    }

    @Override
    public String usage() {
        return """
        Usage: blurstream publish-model --bootstrap-servers S --key FILE --model FILE [options]
               blurstream publish-model --bootstrap-servers S --key FILE \\
                   --control promote|rollback|retire --model-id ID --version V

        Signs and sends to the model topic of a running forecast job, which
        swaps it in between two windows of each group without a restart.

          --model FILE       a model file; it is checked before anything is sent
          --stage S          serve (at once) or shadow (beside the serving
                             version until a promote) [serve]
          --control C        promote V (the shadow), rollback to V (the
                             previous version), or retire V (the serving one)
          --model-id ID, --version V   what the control message is about
          --key FILE         the signing key: an HMAC secret or an Ed25519
                             private key (see blurstream keygen)
          --topic T          the model topic [models]
          --chunk-kb N       model files are sent in chunks of N KiB [256]
          --kafka-config F   Kafka client settings (security.protocol, sasl.*,
                             ssl.*, ...) as a properties file [none]
          --json             end with one JSON line: topic, kind, modelId,
                             version, stage, records

        What the job decided shows on its model-events topic.

        Examples:
          blurstream publish-model --bootstrap-servers localhost:9092 \\
              --key models.key --model models/ETTh1-blur-96.json
          blurstream publish-model --bootstrap-servers localhost:9092 \\
              --key models.key --control rollback --model-id ETTh1-blur-96 --version 1
        """;
    }

    @Override
    public int run(Arguments args, Console console) throws Exception {
        args.checkOptions(
                KafkaClientSettings.OPTION,
                "bootstrap-servers",
                "key",
                "model",
                "stage",
                "control",
                "model-id",
                "version",
                "topic",
                "chunk-kb",
                "json");
        args.checkPositionals(0);
        String servers = args.requiredString("bootstrap-servers");
        UpdateSigner signer = UpdateKeys.signerFromFile(Path.of(args.requiredString("key")));
        String topic = args.string("topic", "models");
        int chunkKb = args.integer("chunk-kb", UpdateMessages.DEFAULT_CHUNK_BYTES / 1024);
        if (chunkKb < 1) {
            throw new IllegalArgumentException("--chunk-kb must be ≥ 1");
        }
        String modelFile = args.string("model", null);
        String control = args.string("control", null);
        if ((modelFile == null) == (control == null)) {
            throw new IllegalArgumentException("give either --model FILE or --control C");
        }
        Duration timeout = Duration.ofSeconds(60);
        Summary summary;
        try (ModelPublisher publisher =
                new ModelPublisher(
                        servers,
                        KafkaClientSettings.of(args),
                        topic,
                        signer,
                        chunkKb * 1024,
                        Clock.systemUTC())) {
            if (modelFile != null) {
                UpdateStage stage;
                try {
                    stage = UpdateStage.ofWireName(args.string("stage", "serve"));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--stage: " + e.getMessage());
                }
                byte[] file = Files.readAllBytes(Path.of(modelFile));
                BlurModel model = readModel(file, modelFile);
                int records = publisher.publishModel(file, stage, Map.of(), timeout);
                summary =
                        new Summary(
                                topic,
                                UpdateKind.MODEL.wireName(),
                                model.modelId(),
                                model.version(),
                                stage.wireName(),
                                records);
            } else {
                UpdateKind kind;
                try {
                    kind = UpdateKind.ofWireName(control);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--control: " + e.getMessage());
                }
                if (kind == UpdateKind.MODEL) {
                    throw new IllegalArgumentException(
                            "--control takes promote, rollback or retire");
                }
                String modelId = args.requiredString("model-id");
                long version = args.integer("version", -1);
                if (version < 0) {
                    throw new IllegalArgumentException("--version V is required");
                }
                publisher.publishControl(kind, modelId, version, timeout);
                summary = new Summary(topic, kind.wireName(), modelId, version, null, 1);
            }
        }
        if (console.json()) {
            console.printJson(summary);
        } else {
            console.println(
                    "published "
                            + summary.kind()
                            + " "
                            + summary.modelId()
                            + " v"
                            + summary.version()
                            + (summary.stage() == null ? "" : " (" + summary.stage() + ")")
                            + " to "
                            + topic
                            + " in "
                            + summary.records()
                            + " record(s); the job's decision shows on its model-events topic");
        }
        return Blurstream.EXIT_OK;
    }

    private static BlurModel readModel(byte[] file, String path) {
        try {
            return ModelCodec.read(file);
        } catch (ModelFormatException e) {
            throw new IllegalArgumentException(
                    "--model: " + path + " is not a valid model file: " + e.getMessage());
        }
    }
}
