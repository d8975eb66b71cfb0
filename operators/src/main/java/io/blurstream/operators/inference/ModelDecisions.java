package io.blurstream.operators.inference;

import io.blurstream.model.BlurModel;
import io.blurstream.model.io.ModelCodec;
import io.blurstream.model.update.UpdateMessages;
import io.blurstream.model.update.UpdateStage;
import io.blurstream.operators.catalog.GroupSpec;
import io.blurstream.operators.catalog.SourceCatalog;
import io.blurstream.operators.record.ModelEvent.Outcome;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules for what a verified model-topic message does to the slot of its model id. Pure: the
 * same slot and message give the same decision on every parallel instance and after every replay.
 *
 * <ul>
 *   <li><b>model</b>: the file must decode and validate ({@link ModelCodec}: format, shapes, finite
 *       weights, its own checksum), name the id and version its signed header names, read windows
 *       of the job's length, fit at least one catalog group and every group pinned to its id
 *       (channels and grid step), and carry a version above every version accepted under the id. A
 *       copy of the serving or shadow file is ignored. Stage {@code serve}: it serves, the serving
 *       version becomes the previous one, and an older shadow is dropped. Stage {@code shadow}: it
 *       runs beside the serving version, which must exist.
 *   <li><b>promote v</b>: the shadow must be version v; it serves, the serving version becomes the
 *       previous one.
 *   <li><b>rollback v</b>: the previous version must be v; it serves again, and the version rolled
 *       back from can never return (it is not above the highest version).
 *   <li><b>retire v</b>: if v is the shadow, the shadow trial ends. Otherwise the serving version
 *       must be v; it stops serving and becomes the previous one (a rollback to v brings it back);
 *       the shadow is dropped. Groups of the id wait for a new version.
 * </ul>
 */
final class ModelDecisions implements Serializable {
    private static final long serialVersionUID = 1L;

    private final SourceCatalog catalog;
    private final int windowRows;

    ModelDecisions(SourceCatalog catalog, int windowRows) {
        this.catalog = catalog;
        this.windowRows = windowRows;
    }

    /**
     * What a message does.
     *
     * @param slot the next slot when accepted (null otherwise)
     * @param decoded for an accepted model: its decoded weights, to serve without decoding again
     * @param outcome accepted, rejected or ignored
     * @param reason why, or for an accepted message what changed
     */
    record Decision(ModelSlot slot, BlurModel decoded, Outcome outcome, String reason) {
        static Decision rejected(String reason) {
            return new Decision(null, null, Outcome.REJECTED, reason);
        }

        static Decision ignored(String reason) {
            return new Decision(null, null, Outcome.IGNORED, reason);
        }
    }

    /**
     * @param current the slot of {@code update.modelId}, or null if the id is new
     */
    Decision decide(ModelSlot current, ModelUpdate update) {
        return switch (update.kind) {
            case MODEL -> model(current, update);
            case PROMOTE -> promote(current, update);
            case ROLLBACK -> rollback(current, update);
            case RETIRE -> retire(current, update);
        };
    }

    /** Checks a model file given at start (no header: its own id and version count). */
    ServingModel checkInitial(byte[] modelFile) {
        BlurModel model;
        try {
            model = ModelCodec.read(modelFile);
        } catch (Exception e) {
            throw new IllegalArgumentException(
                    "the initial model cannot serve: not a valid model file: " + e.getMessage(), e);
        }
        String misfit = misfit(model);
        if (misfit != null) {
            throw new IllegalArgumentException("the initial model cannot serve: " + misfit);
        }
        return new ServingModel(
                model.modelId(), model.version(), UpdateMessages.sha256Hex(modelFile), modelFile);
    }

    private Decision model(ModelSlot current, ModelUpdate update) {
        if (update.modelFile == null || update.modelFile.length == 0) {
            return Decision.rejected("empty model file");
        }
        BlurModel model;
        try {
            model = ModelCodec.read(update.modelFile);
        } catch (Exception e) {
            return Decision.rejected("not a valid model file: " + e.getMessage());
        }
        if (!model.modelId().equals(update.modelId) || model.version() != update.version) {
            return Decision.rejected(
                    "the signed header names "
                            + update.modelId
                            + " v"
                            + update.version
                            + " but the file is "
                            + describe(model));
        }
        String misfit = misfit(model);
        if (misfit != null) {
            return Decision.rejected(misfit);
        }
        String sha = UpdateMessages.sha256Hex(update.modelFile);
        ModelSlot next;
        if (current == null) {
            next = new ModelSlot();
            next.modelId = model.modelId();
            next.highestVersion = Long.MIN_VALUE;
        } else {
            if (current.serving != null && current.serving.sha256.equals(sha)) {
                return Decision.ignored("the serving file again");
            }
            if (current.shadow != null && current.shadow.sha256.equals(sha)) {
                return Decision.ignored("the shadow file again");
            }
            if (model.version() <= current.highestVersion) {
                return Decision.rejected(
                        describe(model)
                                + " is not newer than v"
                                + current.highestVersion
                                + ", the highest version accepted under this id ("
                                + current.describe()
                                + ")");
            }
            next = current.copy();
        }
        ServingModel accepted =
                new ServingModel(model.modelId(), model.version(), sha, update.modelFile);
        if (update.stage == UpdateStage.SHADOW) {
            if (next.serving == null) {
                return Decision.rejected(
                        describe(model)
                                + " cannot shadow: no version of "
                                + model.modelId()
                                + " serves; publish it with stage serve");
            }
            next.shadow = accepted;
        } else {
            next.previous = next.serving;
            next.serving = accepted;
            next.shadow = null;
        }
        next.highestVersion = model.version();
        return new Decision(next, model, Outcome.ACCEPTED, next.describe());
    }

    private static Decision promote(ModelSlot current, ModelUpdate update) {
        if (current == null || current.shadow == null || current.shadow.version != update.version) {
            return Decision.rejected(
                    "no shadow v"
                            + update.version
                            + " of "
                            + update.modelId
                            + " to promote ("
                            + describeOrNone(current)
                            + ")");
        }
        ModelSlot next = current.copy();
        next.previous = current.serving;
        next.serving = current.shadow;
        next.shadow = null;
        return new Decision(next, null, Outcome.ACCEPTED, next.describe());
    }

    private static Decision rollback(ModelSlot current, ModelUpdate update) {
        if (current == null
                || current.previous == null
                || current.previous.version != update.version) {
            return Decision.rejected(
                    "no previous v"
                            + update.version
                            + " of "
                            + update.modelId
                            + " to roll back to ("
                            + describeOrNone(current)
                            + ")");
        }
        ModelSlot next = current.copy();
        next.serving = current.previous;
        next.previous = null;
        return new Decision(next, null, Outcome.ACCEPTED, next.describe());
    }

    private static Decision retire(ModelSlot current, ModelUpdate update) {
        if (current != null && current.shadow != null && current.shadow.version == update.version) {
            // ends a shadow trial: the serving version is untouched
            ModelSlot next = current.copy();
            next.shadow = null;
            return new Decision(next, null, Outcome.ACCEPTED, next.describe());
        }
        if (current == null
                || current.serving == null
                || current.serving.version != update.version) {
            return Decision.rejected(
                    update.modelId
                            + " does not serve v"
                            + update.version
                            + " ("
                            + describeOrNone(current)
                            + ")");
        }
        ModelSlot next = current.copy();
        next.previous = current.serving;
        next.serving = null;
        next.shadow = null;
        return new Decision(next, null, Outcome.ACCEPTED, next.describe());
    }

    /** Why {@code model} cannot serve in this job, or null if it can. */
    private String misfit(BlurModel model) {
        if (model.config().window() != windowRows) {
            return describe(model)
                    + " reads windows of "
                    + model.config().window()
                    + " rows but the job assembles windows of "
                    + windowRows;
        }
        List<String> misfits = new ArrayList<>();
        boolean fitsAny = false;
        for (GroupSpec group : catalog.groups().values()) {
            try {
                group.checkServedBy(model.config());
                fitsAny = true;
            } catch (IllegalArgumentException e) {
                if (model.modelId().equals(group.pinnedModelId())) {
                    return describe(model)
                            + " does not fit group "
                            + group.id()
                            + ", which is pinned to it: "
                            + e.getMessage();
                }
                misfits.add(e.getMessage());
            }
        }
        if (!fitsAny) {
            return describe(model) + " fits no group of the catalog: " + String.join("; ", misfits);
        }
        return null;
    }

    private static String describeOrNone(ModelSlot slot) {
        return slot == null ? "no such model" : slot.describe();
    }

    private static String describe(BlurModel model) {
        return "model " + model.modelId() + " v" + model.version();
    }
}
