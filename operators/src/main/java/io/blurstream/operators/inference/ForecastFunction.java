package io.blurstream.operators.inference;

import io.blurstream.model.BlurModel;
import io.blurstream.model.Forecaster;
import io.blurstream.model.io.ModelCodec;
import io.blurstream.operators.catalog.GroupSpec;
import io.blurstream.operators.catalog.SourceCatalog;
import io.blurstream.operators.record.Forecast;
import io.blurstream.operators.record.FusedWindow;
import io.blurstream.operators.record.ModelEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the BLUR forecaster on each group's windows with the model that broadcast state holds.
 *
 * <h2>Models</h2>
 *
 * Verified model-topic messages ({@link ModelUpdate}, from {@link ModelAssemblyFunction}) arrive on
 * the broadcast side; {@link ModelDecisions} says what each does to the {@link ModelSlot} of its
 * model id (new version, promote, rollback, retire) or why it is rejected. A rejection is counted,
 * logged with its reason and published as a {@link ModelEvent} on {@link #MODEL_EVENTS}, and the
 * serving versions stay. Broadcast state is checkpointed, so after a restore the job serves exactly
 * what it served before, without re-reading the model topic.
 *
 * <p>A group pinned to a model id in the catalog ({@code model:}) is served by that id only; the
 * others by {@code defaultModelId} if given, else by the model id accepted first. A model file
 * given at start (the {@code initialModel}) serves its id until broadcast state holds a slot for
 * that id. A swap happens between two windows of a key, never inside one: broadcast and keyed
 * elements are processed one at a time.
 *
 * <h2>Shadows</h2>
 *
 * A shadow version forecasts every window its serving version forecasts; those forecasts go to
 * {@link #SHADOW_FORECASTS}, not to the main output, so they can be evaluated live before a
 * promote.
 *
 * <h2>Keys</h2>
 *
 * The function takes any key {@code K} under which all windows of a group arrive and no other
 * group's: the job uses {@link InferenceKeys}, which spread the groups evenly over the subtasks,
 * and the group id does as well. It reads the group from the windows, never from the key.
 *
 * <h2>Windows before a model</h2>
 *
 * A window that no model can serve yet is kept in keyed state, at most {@code maxPendingWindows}
 * per key (the newest; older ones are dropped and counted). When a model that serves the group
 * arrives, its pending windows are forecast at once, oldest first.
 *
 * <h2>Metrics</h2>
 *
 * {@code forecasts}, {@code shadowForecasts}, {@code windowsPending}, {@code
 * pendingWindowsDropped}, {@code modelUpdatesAccepted}, {@code modelUpdatesRejected} (both counted
 * on subtask 0 only, so they count messages, not messages × parallelism), the histograms {@code
 * inferenceMicros} and {@code imputedPerMille} (share of imputed values per window), and the gauge
 * {@code servingModelVersion} (the version of the model that made this instance's latest forecast,
 * -1 before the first).
 */
public class ForecastFunction<K>
        extends KeyedBroadcastProcessFunction<K, FusedWindow, ModelUpdate, Forecast> {
    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(ForecastFunction.class);

    private static final String MODELS_STATE = "model-slots";
    private static final String DEFAULT_MODEL_STATE = "default-model";
    private static final String PENDING_STATE = "pending-windows";
    private static final String DEFAULT_KEY = "default";

    /** Broadcast state: model id → its serving, previous and shadow versions. */
    public static final MapStateDescriptor<String, ModelSlot> MODELS =
            new MapStateDescriptor<>(
                    MODELS_STATE,
                    BasicTypeInfo.STRING_TYPE_INFO,
                    TypeInformation.of(ModelSlot.class));

    /** Broadcast state: {@code "default"} → the model id accepted first. */
    public static final MapStateDescriptor<String, String> DEFAULT_MODEL =
            new MapStateDescriptor<>(
                    DEFAULT_MODEL_STATE,
                    BasicTypeInfo.STRING_TYPE_INFO,
                    BasicTypeInfo.STRING_TYPE_INFO);

    private static final ListStateDescriptor<FusedWindow> PENDING =
            new ListStateDescriptor<>(PENDING_STATE, TypeInformation.of(FusedWindow.class));

    /** What became of each model-topic message (from subtask 0 only). */
    public static final OutputTag<ModelEvent> MODEL_EVENTS =
            new OutputTag<>("model-events", TypeInformation.of(ModelEvent.class));

    /** Forecasts of shadow versions. */
    public static final OutputTag<Forecast> SHADOW_FORECASTS =
            new OutputTag<>("shadow-forecasts", TypeInformation.of(Forecast.class));

    public static final String METRIC_FORECASTS = "forecasts";
    public static final String METRIC_SHADOW_FORECASTS = "shadowForecasts";
    public static final String METRIC_PENDING = "windowsPending";
    public static final String METRIC_PENDING_DROPPED = "pendingWindowsDropped";
    public static final String METRIC_UPDATES_ACCEPTED = "modelUpdatesAccepted";
    public static final String METRIC_UPDATES_REJECTED = "modelUpdatesRejected";
    public static final String METRIC_INFERENCE_MICROS = "inferenceMicros";
    public static final String METRIC_IMPUTED_PER_MILLE = "imputedPerMille";
    public static final String METRIC_MODEL_VERSION = "servingModelVersion";

    private final SourceCatalog catalog;
    private final ModelDecisions decisions;
    private final String defaultModelId;
    private final int maxPendingWindows;
    private final ServingModel initialModel;

    /** Decoded models of this instance, by the SHA-256 of their file. */
    private transient Map<String, LoadedModel> loaded;

    private transient Map<String, String[]> channelNames;
    private transient boolean reportingSubtask;
    private transient Counter forecasts;
    private transient Counter shadowForecasts;
    private transient Counter pending;
    private transient Counter pendingDropped;
    private transient Counter updatesAccepted;
    private transient Counter updatesRejected;
    private transient Histogram inferenceMicros;
    private transient Histogram imputedPerMille;
    private transient volatile long lastModelVersion = -1;

    /** The slot the initial model stands in for while broadcast state has none for its id. */
    private transient ModelSlot initialSlot;

    /**
     * @param catalog the groups served, for their channel names, pins and model compatibility
     * @param windowRows rows of the windows the job assembles; a model must read exactly these
     * @param defaultModelId the model id that serves unpinned groups, or null for the id accepted
     *     first
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
        this.decisions = new ModelDecisions(catalog, windowRows);
        this.defaultModelId = defaultModelId;
        this.maxPendingWindows = maxPendingWindows;
        this.initialModel =
                initialModelFile == null ? null : decisions.checkInitial(initialModelFile);
    }

    @Override
    public void open(OpenContext openContext) {
        loaded = new HashMap<>();
        channelNames = new HashMap<>();
        reportingSubtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
        var metrics = getRuntimeContext().getMetricGroup();
        forecasts = metrics.counter(METRIC_FORECASTS);
        shadowForecasts = metrics.counter(METRIC_SHADOW_FORECASTS);
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
        ReadOnlyBroadcastState<String, ModelSlot> models = ctx.getBroadcastState(MODELS);
        ModelSlot slot = slotFor(window.groupId, models, defaultId(ctx));
        LoadedModel model = slot == null ? null : serving(slot.serving, window.groupId);
        if (model == null) {
            keepPending(window, getRuntimeContext().getListState(PENDING));
            return;
        }
        out.collect(forecast(model, window, false));
        LoadedModel shadow = serving(slot.shadow, window.groupId);
        if (shadow != null) {
            ctx.output(SHADOW_FORECASTS, forecast(shadow, window, true));
        }
    }

    @Override
    public void processBroadcastElement(ModelUpdate update, Context ctx, Collector<Forecast> out)
            throws Exception {
        BroadcastState<String, ModelSlot> models = ctx.getBroadcastState(MODELS);
        ModelSlot current = models.get(update.modelId);
        if (current == null
                && initialModel != null
                && initialModel.modelId.equals(update.modelId)) {
            current = new ModelSlot();
            current.modelId = initialModel.modelId;
            current.serving = initialModel;
            current.highestVersion = initialModel.version;
        }
        ModelDecisions.Decision decision = decisions.decide(current, update);
        if (reportingSubtask) {
            report(ctx, update, decision, decision.slot() != null ? decision.slot() : current);
        }
        if (decision.slot() == null) {
            return;
        }
        ModelSlot next = decision.slot();
        models.put(next.modelId, next);
        if (decision.decoded() != null) {
            // decoded once here; a restored instance decodes the stored file when first asked
            BlurModel decoded = decision.decoded();
            ServingModel file =
                    update.stage == io.blurstream.model.update.UpdateStage.SHADOW
                            ? next.shadow
                            : next.serving;
            loaded.put(file.sha256, new LoadedModel(file.modelId, file.version, decoded));
        }
        BroadcastState<String, String> defaults = ctx.getBroadcastState(DEFAULT_MODEL);
        if (defaultModelId == null && !defaults.contains(DEFAULT_KEY) && next.serving != null) {
            defaults.put(DEFAULT_KEY, next.modelId);
        }
        forgetUnused(models);
        String defaultId = defaultModelId != null ? defaultModelId : defaults.get(DEFAULT_KEY);
        ctx.applyToKeyedState(
                PENDING,
                (key, state) -> {
                    // Each window names its group, and the model is found per window: the key
                    // need not be the group id (see InferenceKeys), and after a restore with
                    // another catalog one key may hold windows of two groups.
                    Iterable<FusedWindow> kept = state.get();
                    if (kept == null) {
                        return;
                    }
                    List<FusedWindow> waiting = new ArrayList<>();
                    boolean served = false;
                    for (FusedWindow window : kept) {
                        ModelSlot slot = slotFor(window.groupId, models, defaultId);
                        LoadedModel model =
                                slot == null ? null : serving(slot.serving, window.groupId);
                        if (model == null) {
                            waiting.add(window);
                        } else {
                            out.collect(forecast(model, window, false));
                            served = true;
                        }
                    }
                    if (served) {
                        state.update(waiting);
                    }
                });
    }

    private void report(
            Context ctx, ModelUpdate update, ModelDecisions.Decision decision, ModelSlot slot) {
        switch (decision.outcome()) {
            case ACCEPTED -> {
                updatesAccepted.inc();
                LOG.info(
                        "Accepted the {} of {} v{} from {}: {}",
                        update.kind.wireName(),
                        update.modelId,
                        update.version,
                        update.origin,
                        decision.reason());
            }
            case REJECTED -> {
                updatesRejected.inc();
                LOG.warn(
                        "Rejected the {} of {} v{} from {}: {}; the serving models stay",
                        update.kind.wireName(),
                        update.modelId,
                        update.version,
                        update.origin,
                        decision.reason());
            }
            case IGNORED ->
                    LOG.info(
                            "Ignored {} v{} from {}: {}",
                            update.modelId,
                            update.version,
                            update.origin,
                            decision.reason());
        }
        ModelEvent event = new ModelEvent();
        event.atMillis = System.currentTimeMillis();
        event.origin = update.origin;
        event.kind = update.kind.wireName();
        event.modelId = update.modelId;
        event.version = update.version;
        event.outcome = decision.outcome();
        event.reason = decision.reason();
        if (slot != null) {
            event.servingVersion = ModelSlot.versionOf(slot.serving);
            event.previousVersion = ModelSlot.versionOf(slot.previous);
            event.shadowVersion = ModelSlot.versionOf(slot.shadow);
        }
        ctx.output(MODEL_EVENTS, event);
    }

    private String defaultId(ReadOnlyContext ctx) throws Exception {
        if (defaultModelId != null) {
            return defaultModelId;
        }
        String first = ctx.getBroadcastState(DEFAULT_MODEL).get(DEFAULT_KEY);
        return first != null ? first : initialModel != null ? initialModel.modelId : null;
    }

    /** The slot of the model id that serves {@code group}, or null if there is none (yet). */
    private ModelSlot slotFor(
            String group, ReadOnlyBroadcastState<String, ModelSlot> models, String defaultId)
            throws Exception {
        GroupSpec spec = catalog.group(group);
        String modelId =
                spec != null && spec.pinnedModelId() != null ? spec.pinnedModelId() : defaultId;
        if (modelId == null) {
            return null;
        }
        ModelSlot slot = models.get(modelId);
        if (slot == null && initialModel != null && initialModel.modelId.equals(modelId)) {
            slot = initialSlot();
        }
        return slot;
    }

    private ModelSlot initialSlot() {
        if (initialSlot == null) {
            initialSlot = new ModelSlot();
            initialSlot.modelId = initialModel.modelId;
            initialSlot.serving = initialModel;
            initialSlot.highestVersion = initialModel.version;
        }
        return initialSlot;
    }

    /** {@code file} decoded, if it can serve {@code group}; null otherwise. */
    private LoadedModel serving(ServingModel file, String group) {
        if (file == null) {
            return null;
        }
        LoadedModel model = loaded.get(file.sha256);
        if (model == null) {
            model = LoadedModel.decode(file);
            loaded.put(file.sha256, model);
        }
        return model.serves(catalog.group(group)) ? model : null;
    }

    /** Drops decoded models no slot refers to any more (previous versions stay, for rollback). */
    private void forgetUnused(ReadOnlyBroadcastState<String, ModelSlot> models) throws Exception {
        Set<String> used = new HashSet<>();
        for (Map.Entry<String, ModelSlot> entry : models.immutableEntries()) {
            ModelSlot slot = entry.getValue();
            for (ServingModel file :
                    new ServingModel[] {slot.serving, slot.previous, slot.shadow}) {
                if (file != null) {
                    used.add(file.sha256);
                }
            }
        }
        if (initialModel != null) {
            used.add(initialModel.sha256);
        }
        loaded.keySet().retainAll(used);
    }

    private Forecast forecast(LoadedModel model, FusedWindow window, boolean shadow) {
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
        long micros = (System.nanoTime() - start) / 1000;
        // the sink stamps the final latency as it writes; until then, the latency so far
        forecast.windowCompleteAtMillis = window.assembledAtMillis;
        forecast.latencyMillis =
                window.assembledAtMillis > 0
                        ? Math.max(0, System.currentTimeMillis() - window.assembledAtMillis)
                        : micros / 1000;
        if (shadow) {
            shadowForecasts.inc();
            return forecast;
        }
        imputedPerMille.update(Math.round(window.imputedShare * 1000));
        lastModelVersion = model.version;
        inferenceMicros.update(micros);
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
