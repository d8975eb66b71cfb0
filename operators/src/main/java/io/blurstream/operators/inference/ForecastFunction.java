package io.blurstream.operators.inference;

import io.blurstream.model.BlurModel;
import io.blurstream.model.Forecaster;
import io.blurstream.model.io.ModelCodec;
import io.blurstream.operators.catalog.GroupSpec;
import io.blurstream.operators.catalog.SourceCatalog;
import io.blurstream.operators.record.Forecast;
import io.blurstream.operators.record.FusedWindow;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the BLUR forecaster on each group's windows with the model that broadcast state holds.
 *
 * <h2>Models</h2>
 *
 * Model files arrive on the broadcast side ({@link ModelUpdate}). An update is accepted when the
 * file decodes and validates ({@link ModelCodec}: format, shapes, finite weights, checksum), fits
 * at least one catalog group (channels and grid step, {@link GroupSpec#checkServedBy}), reads
 * windows of the length the job assembles, and has a higher version than the model of its id
 * already serving; a byte-identical copy of the serving file is ignored silently (a replayed
 * topic). Anything else is rejected: counted, logged with its reason, and the serving model keeps
 * serving. A group is served by the model {@code defaultModelId} if given, else by the model id
 * accepted first. A model file given at start (the {@code initialModel}) serves until broadcast
 * state holds a model of the same id, which it never leaves: broadcast state is checkpointed, so
 * after a restore the job serves what it served before without re-reading the model topic.
 *
 * <h2>Windows before a model</h2>
 *
 * A window that no compatible model can serve yet is kept in keyed state, at most {@code
 * maxPendingWindows} per group (the newest; older ones are dropped and counted). When a model
 * arrives, the pending windows of every group it serves are forecast at once, oldest first, with
 * that model, so a late model loses at most the windows beyond that bound.
 *
 * <h2>Metrics</h2>
 *
 * {@code forecasts}, {@code windowsPending}, {@code pendingWindowsDropped}, {@code
 * modelUpdatesAccepted}, {@code modelUpdatesRejected} (both counted on subtask 0 only, so they
 * count updates, not updates × parallelism), the histograms {@code inferenceMicros} and {@code
 * imputedPerMille} (share of imputed values per window), and the gauge {@code servingModelVersion}
 * (the version of the model that made this instance's latest forecast, -1 before the first).
 */
public class ForecastFunction
        extends KeyedBroadcastProcessFunction<String, FusedWindow, ModelUpdate, Forecast> {
    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(ForecastFunction.class);

    private static final String MODELS_STATE = "serving-models";
    private static final String DEFAULT_MODEL_STATE = "default-model";
    private static final String PENDING_STATE = "pending-windows";
    private static final String DEFAULT_KEY = "default";

    /** Broadcast state: model id → the model serving under that id. */
    public static final MapStateDescriptor<String, ServingModel> MODELS =
            new MapStateDescriptor<>(
                    MODELS_STATE,
                    BasicTypeInfo.STRING_TYPE_INFO,
                    TypeInformation.of(ServingModel.class));

    /** Broadcast state: {@code "default"} → the model id accepted first. */
    public static final MapStateDescriptor<String, String> DEFAULT_MODEL =
            new MapStateDescriptor<>(
                    DEFAULT_MODEL_STATE,
                    BasicTypeInfo.STRING_TYPE_INFO,
                    BasicTypeInfo.STRING_TYPE_INFO);

    private static final ListStateDescriptor<FusedWindow> PENDING =
            new ListStateDescriptor<>(PENDING_STATE, TypeInformation.of(FusedWindow.class));

    public static final String METRIC_FORECASTS = "forecasts";
    public static final String METRIC_PENDING = "windowsPending";
    public static final String METRIC_PENDING_DROPPED = "pendingWindowsDropped";
    public static final String METRIC_UPDATES_ACCEPTED = "modelUpdatesAccepted";
    public static final String METRIC_UPDATES_REJECTED = "modelUpdatesRejected";
    public static final String METRIC_INFERENCE_MICROS = "inferenceMicros";
    public static final String METRIC_IMPUTED_PER_MILLE = "imputedPerMille";
    public static final String METRIC_MODEL_VERSION = "servingModelVersion";

    private final SourceCatalog catalog;
    private final int windowRows;
    private final String defaultModelId;
    private final int maxPendingWindows;
    private final ServingModel initialModel;

    private transient Map<String, LoadedModel> loaded;
    private transient Map<String, String[]> channelNames;
    private transient boolean reportingSubtask;
    private transient Counter forecasts;
    private transient Counter pending;
    private transient Counter pendingDropped;
    private transient Counter updatesAccepted;
    private transient Counter updatesRejected;
    private transient Histogram inferenceMicros;
    private transient Histogram imputedPerMille;
    private transient volatile long lastModelVersion = -1;

    /**
     * @param catalog the groups served, for their channel names and model compatibility
     * @param windowRows rows of the windows the job assembles; a model must read exactly these
     * @param defaultModelId the model id that serves every group, or null for the id accepted first
     * @param maxPendingWindows windows kept per group while no model can serve it (≥ 0)
     * @param initialModelFile a model file to serve from the start, or null to wait for the topic
     * @throws IllegalArgumentException if the initial model is invalid or fits no group
     */
    public ForecastFunction(
            SourceCatalog catalog,
            int windowRows,
            String defaultModelId,
            int maxPendingWindows,
            byte[] initialModelFile) {
        if (maxPendingWindows < 0) {
            throw new IllegalArgumentException(
                    "maxPendingWindows must be ≥ 0, got " + maxPendingWindows);
        }
        this.catalog = catalog;
        this.windowRows = windowRows;
        this.defaultModelId = defaultModelId;
        this.maxPendingWindows = maxPendingWindows;
        if (initialModelFile == null) {
            this.initialModel = null;
        } else {
            Decision decision = decide(catalog, windowRows, initialModelFile, null);
            if (decision.rejection != null) {
                throw new IllegalArgumentException(
                        "the initial model cannot serve: " + decision.rejection);
            }
            this.initialModel = decision.accepted;
        }
    }

    @Override
    public void open(OpenContext openContext) {
        loaded = new HashMap<>();
        channelNames = new HashMap<>();
        reportingSubtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
        var metrics = getRuntimeContext().getMetricGroup();
        forecasts = metrics.counter(METRIC_FORECASTS);
        pending = metrics.counter(METRIC_PENDING);
        pendingDropped = metrics.counter(METRIC_PENDING_DROPPED);
        updatesAccepted = metrics.counter(METRIC_UPDATES_ACCEPTED);
        updatesRejected = metrics.counter(METRIC_UPDATES_REJECTED);
        inferenceMicros =
                metrics.histogram(
                        METRIC_INFERENCE_MICROS, new DescriptiveStatisticsHistogram(10_000));
        imputedPerMille =
                metrics.histogram(
                        METRIC_IMPUTED_PER_MILLE, new DescriptiveStatisticsHistogram(10_000));
        metrics.<Long, org.apache.flink.metrics.Gauge<Long>>gauge(
                METRIC_MODEL_VERSION, () -> lastModelVersion);
    }

    @Override
    public void processElement(FusedWindow window, ReadOnlyContext ctx, Collector<Forecast> out)
            throws Exception {
        LoadedModel model = modelFor(window.groupId, ctx.getBroadcastState(MODELS), defaultId(ctx));
        if (model == null) {
            keepPending(window, getRuntimeContext().getListState(PENDING));
            return;
        }
        out.collect(forecast(model, window));
    }

    @Override
    public void processBroadcastElement(ModelUpdate update, Context ctx, Collector<Forecast> out)
            throws Exception {
        BroadcastState<String, ServingModel> models = ctx.getBroadcastState(MODELS);
        Decision decision = decide(catalog, windowRows, update.modelFile, models);
        if (decision.rejection != null) {
            if (reportingSubtask) {
                updatesRejected.inc();
                LOG.warn(
                        "Rejected the model update from {}: {}; the serving models stay",
                        update.origin,
                        decision.rejection);
            }
            return;
        }
        if (decision.accepted == null) {
            return; // the serving file again
        }
        ServingModel accepted = decision.accepted;
        models.put(accepted.modelId, accepted);
        // decoded once here; a restored instance decodes the stored file when first asked
        loaded.put(
                accepted.modelId,
                new LoadedModel(accepted.modelId, accepted.version, decision.decoded));
        BroadcastState<String, String> defaults = ctx.getBroadcastState(DEFAULT_MODEL);
        if (defaultModelId == null && !defaults.contains(DEFAULT_KEY)) {
            defaults.put(DEFAULT_KEY, accepted.modelId);
        }
        if (reportingSubtask) {
            updatesAccepted.inc();
            LOG.info(
                    "Serving model {} version {} from {}",
                    accepted.modelId,
                    accepted.version,
                    update.origin);
        }
        String defaultId = defaultModelId != null ? defaultModelId : defaults.get(DEFAULT_KEY);
        ctx.applyToKeyedState(
                PENDING,
                (group, state) -> {
                    LoadedModel model = modelFor(group, models, defaultId);
                    if (model == null) {
                        return;
                    }
                    List<FusedWindow> windows = new ArrayList<>();
                    state.get().forEach(windows::add);
                    state.clear();
                    for (FusedWindow window : windows) {
                        out.collect(forecast(model, window));
                    }
                });
    }

    private String defaultId(ReadOnlyContext ctx) throws Exception {
        if (defaultModelId != null) {
            return defaultModelId;
        }
        String first = ctx.getBroadcastState(DEFAULT_MODEL).get(DEFAULT_KEY);
        return first != null ? first : initialModel != null ? initialModel.modelId : null;
    }

    /** The model serving {@code group}, or null if none can (yet). */
    private LoadedModel modelFor(
            String group, ReadOnlyBroadcastState<String, ServingModel> models, String modelId)
            throws Exception {
        if (modelId == null) {
            return null;
        }
        ServingModel serving = models.get(modelId);
        if (serving == null && initialModel != null && initialModel.modelId.equals(modelId)) {
            serving = initialModel;
        }
        if (serving == null) {
            return null;
        }
        LoadedModel model = loaded.get(modelId);
        if (model == null || model.version != serving.version) {
            model = LoadedModel.decode(serving);
            loaded.put(modelId, model);
        }
        return model.serves(catalog.group(group)) ? model : null;
    }

    private Forecast forecast(LoadedModel model, FusedWindow window) {
        long start = System.nanoTime();
        Forecaster forecaster = model.forecaster;
        Forecast forecast = new Forecast();
        forecast.groupId = window.groupId;
        forecast.issuedForMillis = window.lastTickMillis;
        forecast.stepMillis = window.stepMillis;
        forecast.horizon = forecaster.horizon();
        String[] channels = channelNames.get(window.groupId);
        if (channels == null) {
            channels = catalog.group(window.groupId).channelNames().toArray(String[]::new);
            channelNames.put(window.groupId, channels);
        }
        forecast.channels = channels;
        forecast.values = new float[forecaster.horizon() * forecaster.channels()];
        forecaster.forecast(window.values, 0, forecast.values, 0, model.workspace);
        forecast.modelId = model.modelId;
        forecast.modelVersion = model.version;
        forecast.imputedShare = window.imputedShare;
        imputedPerMille.update(Math.round(window.imputedShare * 1000));
        lastModelVersion = model.version;
        long micros = (System.nanoTime() - start) / 1000;
        inferenceMicros.update(micros);
        forecast.latencyMillis =
                window.assembledAtMillis > 0
                        ? Math.max(0, System.currentTimeMillis() - window.assembledAtMillis)
                        : micros / 1000;
        forecasts.inc();
        return forecast;
    }

    private void keepPending(FusedWindow window, ListState<FusedWindow> state) throws Exception {
        pending.inc();
        if (maxPendingWindows == 0) {
            pendingDropped.inc();
            return;
        }
        List<FusedWindow> kept = new ArrayList<>();
        state.get().forEach(kept::add);
        kept.add(window);
        while (kept.size() > maxPendingWindows) {
            kept.remove(0);
            pendingDropped.inc();
        }
        state.update(kept);
    }

    /** An update's fate: exactly one of the fields is set, or neither for an identical copy. */
    private record Decision(ServingModel accepted, BlurModel decoded, String rejection) {}

    private static Decision decide(
            SourceCatalog catalog,
            int windowRows,
            byte[] modelFile,
            ReadOnlyBroadcastState<String, ServingModel> serving) {
        if (modelFile == null || modelFile.length == 0) {
            return new Decision(null, null, "empty model file");
        }
        BlurModel model;
        try {
            model = ModelCodec.read(modelFile);
        } catch (Exception e) {
            return new Decision(null, null, "not a valid model file: " + e.getMessage());
        }
        if (model.config().window() != windowRows) {
            return new Decision(
                    null,
                    null,
                    describe(model)
                            + " reads windows of "
                            + model.config().window()
                            + " rows but the job assembles windows of "
                            + windowRows);
        }
        List<String> misfits = new ArrayList<>();
        boolean fits = false;
        for (GroupSpec group : catalog.groups().values()) {
            try {
                group.checkServedBy(model.config());
                fits = true;
            } catch (IllegalArgumentException e) {
                misfits.add(e.getMessage());
            }
        }
        if (!fits) {
            return new Decision(
                    null,
                    null,
                    describe(model)
                            + " fits no group of the catalog: "
                            + String.join("; ", misfits));
        }
        String sha = sha256(modelFile);
        if (serving != null) {
            ServingModel current;
            try {
                current = serving.get(model.modelId());
            } catch (Exception e) {
                throw new IllegalStateException("broadcast state unreadable", e);
            }
            if (current != null) {
                if (current.sha256.equals(sha)) {
                    return new Decision(null, null, null);
                }
                if (model.version() <= current.version) {
                    return new Decision(
                            null,
                            null,
                            describe(model) + " is not newer than the serving v" + current.version);
                }
            }
        }
        return new Decision(
                new ServingModel(model.modelId(), model.version(), sha, modelFile), model, null);
    }

    private static String describe(BlurModel model) {
        return "model " + model.modelId() + " v" + model.version();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** A decoded model with its forecaster and workspace, cached per parallel instance. */
    private static final class LoadedModel {
        final String modelId;
        final long version;
        final Forecaster forecaster;
        final Forecaster.Workspace workspace;
        final Map<String, Boolean> servesGroup = new HashMap<>();

        LoadedModel(String modelId, long version, BlurModel model) {
            this.modelId = modelId;
            this.version = version;
            this.forecaster = new Forecaster(model);
            this.workspace = forecaster.newWorkspace(1);
        }

        static LoadedModel decode(ServingModel serving) {
            try {
                return new LoadedModel(
                        serving.modelId, serving.version, ModelCodec.read(serving.modelFile));
            } catch (Exception e) {
                // it was validated when accepted; failing now means corrupted state
                throw new IllegalStateException(
                        "model " + serving.modelId + " v" + serving.version + " no longer decodes",
                        e);
            }
        }

        boolean serves(GroupSpec group) {
            if (group == null) {
                return false;
            }
            // per window: a lookup, no capturing lambda
            Boolean known = servesGroup.get(group.id());
            if (known != null) {
                return known;
            }
            boolean fits;
            try {
                group.checkServedBy(forecaster.model().config());
                fits = true;
            } catch (IllegalArgumentException e) {
                fits = false;
            }
            servesGroup.put(group.id(), fits);
            return fits;
        }
    }
}
