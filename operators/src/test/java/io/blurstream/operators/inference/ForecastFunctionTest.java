package io.blurstream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blurstream.model.BlurConfig;
import io.blurstream.model.BlurModel;
import io.blurstream.model.ChannelMode;
import io.blurstream.model.Forecaster;
import io.blurstream.model.ModelInitializer;
import io.blurstream.model.Scaler;
import io.blurstream.model.io.ModelCodec;
import io.blurstream.model.update.UpdateKind;
import io.blurstream.model.update.UpdateStage;
import io.blurstream.operators.catalog.SourceCatalog;
import io.blurstream.operators.record.Forecast;
import io.blurstream.operators.record.FusedWindow;
import io.blurstream.operators.record.ModelEvent;
import io.blurstream.operators.record.ModelEvent.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The inference function in Flink's keyed-broadcast harness: models arriving on the broadcast side,
 * windows on the keyed side, forecasts compared with the forecaster run directly.
 */
class ForecastFunctionTest {

    private static final int W = 8;
    private static final long MINUTE = 60_000;
    private static SourceCatalog catalog;

    @BeforeAll
    static void loadCatalog() throws Exception {
        catalog = SourceCatalog.fromResource("catalogs/test-catalog.yaml");
    }

    /** A model for group plant-a (temp, flow, level; 1-minute grid). */
    static BlurModel model(String id, long version, long seed) {
        BlurConfig config =
                BlurConfig.builder()
                        .window(W)
                        .horizon(3)
                        .channels(List.of("temp", "flow", "level"))
                        .gridStepMillis(MINUTE)
                        .channelMode(ChannelMode.INDEPENDENT)
                        .revin(true)
                        .hidden(16)
                        .state(8)
                        .layers(1)
                        .build();
        return new BlurModel(
                id,
                version,
                Instant.parse("2026-11-27T00:00:00Z"),
                config,
                new Scaler(new double[] {20, 5, 1}, new double[] {2, 1, 0.5}),
                Map.of(),
                ModelInitializer.initialize(config, seed));
    }

    static FusedWindow window(String group, long lastTick, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[W * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (10 + 5 * random.nextDouble());
        }
        return new FusedWindow(group, lastTick, MINUTE, W, 3, values, 0.125);
    }

    static float[] offline(BlurModel model, FusedWindow window) {
        Forecaster forecaster = new Forecaster(model);
        float[] out = new float[forecaster.horizon() * forecaster.channels()];
        forecaster.forecast(window.values, 0, out, 0, forecaster.newWorkspace(1));
        return out;
    }

    static KeyedBroadcastOperatorTestHarness<String, FusedWindow, ModelUpdate, Forecast> harness(
            ForecastFunction<String> function) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                function,
                w -> w.groupId,
                Types.STRING,
                ForecastFunction.MODELS,
                ForecastFunction.DEFAULT_MODEL);
    }

    static ModelUpdate update(BlurModel model) {
        return update(model, UpdateStage.SERVE);
    }

    static ModelUpdate update(BlurModel model, UpdateStage stage) {
        return ModelUpdate.model(
                model.modelId(), model.version(), stage, ModelCodec.toBytes(model), "test");
    }

    static ModelUpdate control(UpdateKind kind, String modelId, long version) {
        return ModelUpdate.control(kind, modelId, version, "test");
    }

    static List<ModelEvent> events(
            KeyedBroadcastOperatorTestHarness<String, FusedWindow, ModelUpdate, Forecast> h) {
        return h.getSideOutput(ForecastFunction.MODEL_EVENTS) == null
                ? List.of()
                : h.getSideOutput(ForecastFunction.MODEL_EVENTS).stream()
                        .map(r -> r.getValue())
                        .toList();
    }

    @Test
    void windowsWaitForTheFirstModelAndAreForecastWhenItArrives() throws Exception {
        BlurModel v1 = model("plant", 1, 1);
        try (var h = harness(new ForecastFunction<String>(catalog, W, null, 10, null))) {
            FusedWindow first = window("plant-a", 10 * MINUTE, 1);
            FusedWindow second = window("plant-a", 11 * MINUTE, 2);
            h.processElement(first, first.lastTickMillis);
            h.processElement(second, second.lastTickMillis);
            assertThat(h.extractOutputValues()).isEmpty();
            h.processBroadcastElement(update(v1), 0);
            List<Forecast> out = h.extractOutputValues();
            assertThat(out).hasSize(2);
            assertThat(out.get(0).issuedForMillis).isEqualTo(10 * MINUTE);
            assertThat(out.get(0).values).containsExactly(offline(v1, first));
            assertThat(out.get(1).values).containsExactly(offline(v1, second));
            Forecast f = out.get(1);
            assertThat(f.groupId).isEqualTo("plant-a");
            assertThat(f.channels).containsExactly("temp", "flow", "level");
            assertThat(f.horizon).isEqualTo(3);
            assertThat(f.stepMillis).isEqualTo(MINUTE);
            assertThat(f.modelId).isEqualTo("plant");
            assertThat(f.modelVersion).isEqualTo(1);
            assertThat(f.imputedShare).isEqualTo(0.125);
        }
    }

    @Test
    void underIntKeysPendingWindowsAreForecastForTheGroupTheyCarry() throws Exception {
        InferenceKeys keys = InferenceKeys.spreading(catalog.groups().keySet(), 128);
        BlurModel v1 = model("plant", 1, 1);
        try (var h =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new ForecastFunction<Integer>(catalog, W, null, 10, null),
                        keys,
                        Types.INT,
                        ForecastFunction.MODELS,
                        ForecastFunction.DEFAULT_MODEL)) {
            FusedWindow a = window("plant-a", 10 * MINUTE, 1);
            h.processElement(a, a.lastTickMillis);
            // the model reads plant-a's three channels, not plant-b's one: plant-b keeps waiting
            h.processElement(
                    new FusedWindow("plant-b", 15 * MINUTE, 15 * MINUTE, W, 1, new float[W], 0), 0);
            h.processBroadcastElement(update(v1), 0);
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            f -> {
                                assertThat(f.groupId).isEqualTo("plant-a");
                                assertThat(f.values).containsExactly(offline(v1, a));
                            });
        }
    }

    @Test
    void windowsOfTwoGroupsUnderOneKeyAreEachServedByTheirOwnGroupsModel() throws Exception {
        // one key for every window, as after a restore with a reordered catalog
        BlurModel v1 = model("plant", 1, 1);
        try (var h =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new ForecastFunction<Integer>(catalog, W, null, 10, null),
                        w -> 0,
                        Types.INT,
                        ForecastFunction.MODELS,
                        ForecastFunction.DEFAULT_MODEL)) {
            FusedWindow b =
                    new FusedWindow("plant-b", 15 * MINUTE, 15 * MINUTE, W, 1, new float[W], 0);
            FusedWindow a = window("plant-a", 10 * MINUTE, 1);
            h.processElement(b, 0);
            h.processElement(a, a.lastTickMillis);
            h.processBroadcastElement(update(v1), 0);
            assertThat(h.extractOutputValues())
                    .extracting(f -> f.groupId)
                    .containsExactly("plant-a");
        }
    }

    @Test
    void pendingWindowsAreBoundedKeepingTheNewest() throws Exception {
        try (var h = harness(new ForecastFunction<String>(catalog, W, null, 2, null))) {
            for (int t = 0; t < 5; t++) {
                h.processElement(window("plant-a", t * MINUTE, t), t * MINUTE);
            }
            h.processBroadcastElement(update(model("plant", 1, 1)), 0);
            assertThat(h.extractOutputValues())
                    .extracting(f -> f.issuedForMillis)
                    .containsExactly(3 * MINUTE, 4 * MINUTE);
        }
    }

    @Test
    void anInitialModelServesFromTheStartAndANewerVersionTakesOver() throws Exception {
        BlurModel v1 = model("plant", 1, 1);
        BlurModel v2 = model("plant", 2, 2);
        try (var h =
                harness(
                        new ForecastFunction<String>(
                                catalog, W, null, 10, ModelCodec.toBytes(v1)))) {
            FusedWindow w1 = window("plant-a", MINUTE, 1);
            h.processElement(w1, MINUTE);
            h.processBroadcastElement(update(v2), MINUTE);
            FusedWindow w2 = window("plant-a", 2 * MINUTE, 2);
            h.processElement(w2, 2 * MINUTE);
            List<Forecast> out = h.extractOutputValues();
            assertThat(out).extracting(f -> f.modelVersion).containsExactly(1L, 2L);
            assertThat(out.get(0).values).containsExactly(offline(v1, w1));
            assertThat(out.get(1).values).containsExactly(offline(v2, w2));
        }
    }

    @Test
    void badUpdatesAreRejectedAndTheServingModelKeepsServing() throws Exception {
        BlurModel v2 = model("plant", 2, 2);
        BlurConfig otherChannels =
                v2.config().toBuilder().channels(List.of("temp", "flow", "pressure")).build();
        BlurModel misfit =
                new BlurModel(
                        "plant",
                        5,
                        v2.createdAt(),
                        otherChannels,
                        v2.scaler(),
                        Map.of(),
                        ModelInitializer.initialize(otherChannels, 3));
        BlurConfig longer = v2.config().toBuilder().window(W + 1).build();
        BlurModel wrongWindow =
                new BlurModel(
                        "plant",
                        6,
                        v2.createdAt(),
                        longer,
                        v2.scaler(),
                        Map.of(),
                        ModelInitializer.initialize(longer, 3));
        byte[] corrupted = ModelCodec.toBytes(model("plant", 7, 4));
        String text = new String(corrupted, StandardCharsets.UTF_8);
        corrupted =
                text.replaceFirst("\"version\" *: *7", "\"version\":8")
                        .getBytes(StandardCharsets.UTF_8);
        try (var h = harness(new ForecastFunction<String>(catalog, W, null, 10, null))) {
            h.processBroadcastElement(update(v2), 0);
            h.processBroadcastElement(
                    ModelUpdate.model(
                            "plant", 9, UpdateStage.SERVE, "{not json".getBytes(), "test"),
                    0);
            h.processBroadcastElement(
                    ModelUpdate.model("plant", 9, UpdateStage.SERVE, new byte[0], "test"), 0);
            h.processBroadcastElement(update(model("plant", 1, 9)), 0); // older
            h.processBroadcastElement(update(misfit), 0);
            h.processBroadcastElement(update(wrongWindow), 0);
            h.processBroadcastElement(
                    ModelUpdate.model("plant", 8, UpdateStage.SERVE, corrupted, "test"), 0);
            BlurModel v3 = model("plant", 3, 3);
            h.processBroadcastElement( // the signed header and the file disagree
                    ModelUpdate.model(
                            "plant", 4, UpdateStage.SERVE, ModelCodec.toBytes(v3), "test"),
                    0);
            h.processBroadcastElement(update(v2), 0); // the same file again: ignored
            FusedWindow w = window("plant-a", MINUTE, 5);
            h.processElement(w, MINUTE);
            List<Forecast> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).modelVersion).isEqualTo(2);
            assertThat(out.get(0).values).containsExactly(offline(v2, w));
            List<ModelEvent> events = events(h);
            assertThat(events)
                    .extracting(e -> e.outcome)
                    .containsExactly(
                            Outcome.ACCEPTED,
                            Outcome.REJECTED,
                            Outcome.REJECTED,
                            Outcome.REJECTED,
                            Outcome.REJECTED,
                            Outcome.REJECTED,
                            Outcome.REJECTED,
                            Outcome.REJECTED,
                            Outcome.IGNORED);
            assertThat(events.subList(1, 9))
                    .extracting(e -> e.reason)
                    .satisfiesExactly(
                            r -> assertThat(r).startsWith("not a valid model file"),
                            r -> assertThat(r).isEqualTo("empty model file"),
                            r ->
                                    assertThat(r)
                                            .contains("v1 is not newer than v2")
                                            .contains("serving v2"),
                            r -> assertThat(r).contains("fits no group").contains("pressure"),
                            r -> assertThat(r).contains("reads windows of 9 rows"),
                            r -> assertThat(r).contains("sha256"),
                            r ->
                                    assertThat(r)
                                            .isEqualTo(
                                                    "the signed header names plant v4 but the"
                                                            + " file is model plant v3"),
                            r -> assertThat(r).isEqualTo("the serving file again"));
            assertThat(events).allSatisfy(e -> assertThat(e.servingVersion).isEqualTo(2));
        }
    }

    @Test
    void aGroupTheModelDoesNotFitWaitsInsteadOfGettingForeignForecasts() throws Exception {
        try (var h = harness(new ForecastFunction<String>(catalog, W, null, 10, null))) {
            h.processBroadcastElement(update(model("plant", 1, 1)), 0);
            float[] power = new float[W];
            h.processElement(
                    new FusedWindow("plant-b", 15 * MINUTE, 15 * MINUTE, W, 1, power, 0), 0);
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void theFunctionWithItsInitialModelTravelsWithTheJobGraph() throws Exception {
        BlurModel v1 = model("plant", 1, 1);
        ForecastFunction<String> function =
                new ForecastFunction<String>(catalog, W, null, 10, ModelCodec.toBytes(v1));
        ForecastFunction<String> copy =
                org.apache.flink.util.InstantiationUtil.clone(
                        function, getClass().getClassLoader());
        try (var h = harness(copy)) {
            FusedWindow w = window("plant-a", MINUTE, 1);
            h.processElement(w, MINUTE);
            assertThat(h.extractOutputValues().get(0).values).containsExactly(offline(v1, w));
        }
    }

    @Test
    void anInitialModelThatCannotServeFailsAtConstruction() {
        BlurModel v1 = model("plant", 1, 1);
        assertThatThrownBy(
                        () ->
                                new ForecastFunction<String>(
                                        catalog, W + 4, null, 10, ModelCodec.toBytes(v1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("windows of 8 rows")
                .hasMessageContaining("12");
    }

    @Test
    void aRestoredJobServesTheModelItServedBeforeWithoutTheTopic() throws Exception {
        BlurModel v2 = model("plant", 2, 2);
        OperatorSubtaskState snapshot;
        try (var h = harness(new ForecastFunction<String>(catalog, W, null, 10, null))) {
            h.processBroadcastElement(update(model("plant", 1, 1)), 0);
            h.processBroadcastElement(update(v2), 0);
            h.processElement(window("plant-b", 0, 1), 0); // pending: no model fits plant-b
            snapshot = h.snapshot(1, 10);
        }
        var restored = harness(new ForecastFunction<String>(catalog, W, null, 10, null));
        // the harness factory opened the operator; restore needs a fresh, unopened one
        restored.close();
        var h =
                new KeyedBroadcastOperatorTestHarness<String, FusedWindow, ModelUpdate, Forecast>(
                        new CoBroadcastWithKeyedOperator<>(
                                new ForecastFunction<String>(catalog, W, null, 10, null),
                                List.of(ForecastFunction.MODELS, ForecastFunction.DEFAULT_MODEL)),
                        w -> w.groupId,
                        Types.STRING,
                        1,
                        1,
                        0);
        try (h) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            FusedWindow w = window("plant-a", 3 * MINUTE, 3);
            h.processElement(w, 3 * MINUTE);
            List<Forecast> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).modelVersion).isEqualTo(2);
            assertThat(out.get(0).values).containsExactly(offline(v2, w));
        }
    }

    @Test
    void versionsSwapBetweenWindowsRollBackPromoteFromShadowAndRetire() throws Exception {
        BlurModel v1 = model("plant", 1, 1);
        BlurModel v2 = model("plant", 2, 2);
        BlurModel v3 = model("plant", 3, 3);
        BlurModel v4 = model("plant", 4, 4);
        try (var h = harness(new ForecastFunction<String>(catalog, W, null, 10, null))) {
            long[] tick = {0};
            java.util.function.Supplier<FusedWindow> next =
                    () -> window("plant-a", ++tick[0] * MINUTE, tick[0]);
            List<FusedWindow> sent = new ArrayList<>();
            java.util.function.Consumer<FusedWindow> send =
                    w -> {
                        sent.add(w);
                        try {
                            h.processElement(w, w.lastTickMillis);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    };
            h.processBroadcastElement(update(v1), 0);
            send.accept(next.get());
            h.processBroadcastElement(update(v2), 0);
            send.accept(next.get());
            h.processBroadcastElement(control(UpdateKind.ROLLBACK, "plant", 1), 0);
            send.accept(next.get());
            h.processBroadcastElement(update(v2), 0); // rolled back from: never again
            h.processBroadcastElement(control(UpdateKind.ROLLBACK, "plant", 1), 0); // no previous
            h.processBroadcastElement(update(v3), 0);
            h.processBroadcastElement(update(v4, UpdateStage.SHADOW), 0);
            send.accept(next.get()); // v3 serves, v4 shadows
            h.processBroadcastElement(control(UpdateKind.PROMOTE, "plant", 3), 0); // not shadow
            h.processBroadcastElement(control(UpdateKind.PROMOTE, "plant", 4), 0);
            send.accept(next.get());
            h.processBroadcastElement(control(UpdateKind.RETIRE, "plant", 3), 0); // not serving
            h.processBroadcastElement(control(UpdateKind.RETIRE, "plant", 4), 0);
            send.accept(next.get()); // waits: nothing serves plant
            assertThat(h.extractOutputValues()).hasSize(5);
            h.processBroadcastElement(control(UpdateKind.ROLLBACK, "plant", 4), 0);

            List<Forecast> out = h.extractOutputValues();
            assertThat(out).extracting(f -> f.modelVersion).containsExactly(1L, 2L, 1L, 3L, 4L, 4L);
            BlurModel[] expected = {v1, v2, v1, v3, v4, v4};
            for (int i = 0; i < out.size(); i++) {
                assertThat(out.get(i).issuedForMillis).isEqualTo(sent.get(i).lastTickMillis);
                assertThat(out.get(i).values).containsExactly(offline(expected[i], sent.get(i)));
            }
            var shadows = h.getSideOutput(ForecastFunction.SHADOW_FORECASTS);
            assertThat(shadows).hasSize(1);
            Forecast shadow = shadows.peek().getValue();
            assertThat(shadow.modelVersion).isEqualTo(4);
            assertThat(shadow.issuedForMillis).isEqualTo(sent.get(3).lastTickMillis);
            assertThat(shadow.values).containsExactly(offline(v4, sent.get(3)));

            assertThat(events(h))
                    .extracting(
                            e -> e.kind + " v" + e.version + " " + e.outcome + " -> " + e.reason)
                    .containsExactly(
                            "model v1 ACCEPTED -> serving v1, previous none",
                            "model v2 ACCEPTED -> serving v2, previous v1",
                            "rollback v1 ACCEPTED -> serving v1, previous none",
                            "model v2 REJECTED -> model plant v2 is not newer than v2, the highest"
                                    + " version accepted under this id (serving v1, previous"
                                    + " none)",
                            "rollback v1 REJECTED -> no previous v1 of plant to roll back to"
                                    + " (serving v1, previous none)",
                            "model v3 ACCEPTED -> serving v3, previous v1",
                            "model v4 ACCEPTED -> serving v3, previous v1, shadow v4",
                            "promote v3 REJECTED -> no shadow v3 of plant to promote (serving v3,"
                                    + " previous v1, shadow v4)",
                            "promote v4 ACCEPTED -> serving v4, previous v3",
                            "retire v3 REJECTED -> plant does not serve v3 (serving v4, previous"
                                    + " v3)",
                            "retire v4 ACCEPTED -> serving none, previous v4",
                            "rollback v4 ACCEPTED -> serving v4, previous none");
        }
    }

    @Test
    void aPinnedGroupIsServedByItsOwnModelAndTheRestByTheDefault() throws Exception {
        SourceCatalog pinned =
                SourceCatalog.parse(
                        """
                        version: 1
                        groups:
                          plant-a:
                            step: 1m
                            channels: [temp, flow, level]
                          plant-c:
                            step: 1m
                            model: special
                            channels: [temp, flow, level]
                        sensors:
                          a.temp: {group: plant-a, channel: temp}
                          a.flow: {group: plant-a, channel: flow}
                          a.level: {group: plant-a, channel: level}
                          c.temp: {group: plant-c, channel: temp}
                          c.flow: {group: plant-c, channel: flow}
                          c.level: {group: plant-c, channel: level}
                        """,
                        "pins");
        BlurModel general = model("plant", 1, 1);
        BlurModel special = model("special", 7, 7);
        try (var h = harness(new ForecastFunction<String>(pinned, W, null, 10, null))) {
            h.processBroadcastElement(update(general), 0);
            FusedWindow a = window("plant-a", MINUTE, 1);
            FusedWindow c = window("plant-c", MINUTE, 2);
            h.processElement(a, MINUTE);
            h.processElement(c, MINUTE); // waits for its own model, not the default
            assertThat(h.extractOutputValues())
                    .extracting(f -> f.groupId)
                    .containsExactly("plant-a");
            h.processBroadcastElement(update(special), 0);
            List<Forecast> out = h.extractOutputValues();
            assertThat(out).extracting(f -> f.modelId).containsExactly("plant", "special");
            assertThat(out.get(1).values).containsExactly(offline(special, c));
            assertThat(out.get(0).values).containsExactly(offline(general, a));
        }
    }

    @Test
    void aModelWithANonFiniteWeightIsRejectedAndTheServingOneStays() throws Exception {
        BlurModel v1 = model("plant", 1, 1);
        BlurModel v2 = model("plant", 2, 2);
        var parameters = v2.parameters().copy();
        parameters.get(parameters.names().get(0))[3] = Float.NaN;
        BlurModel poisoned =
                new BlurModel(
                        "plant", 2, v2.createdAt(), v2.config(), v2.scaler(), Map.of(), parameters);
        try (var h = harness(new ForecastFunction<String>(catalog, W, null, 10, null))) {
            h.processBroadcastElement(update(v1), 0);
            h.processBroadcastElement(update(poisoned), 0);
            FusedWindow w = window("plant-a", MINUTE, 1);
            h.processElement(w, MINUTE);
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(f -> assertThat(f.values).containsExactly(offline(v1, w)));
            assertThat(events(h).get(1).outcome).isEqualTo(Outcome.REJECTED);
            assertThat(events(h).get(1).reason).contains("non-finite value NaN");
        }
    }

    @Test
    void retiringTheShadowEndsItsTrialAndLeavesTheServingVersion() throws Exception {
        BlurModel v1 = model("plant", 1, 1);
        try (var h = harness(new ForecastFunction<String>(catalog, W, null, 10, null))) {
            h.processBroadcastElement(update(v1), 0);
            h.processBroadcastElement(update(model("plant", 2, 2), UpdateStage.SHADOW), 0);
            h.processBroadcastElement(control(UpdateKind.RETIRE, "plant", 2), 0);
            FusedWindow w = window("plant-a", MINUTE, 1);
            h.processElement(w, MINUTE);
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(f -> assertThat(f.values).containsExactly(offline(v1, w)));
            assertThat(h.getSideOutput(ForecastFunction.SHADOW_FORECASTS)).isNull();
            assertThat(events(h).get(2).reason).isEqualTo("serving v1, previous none");
        }
    }
}
