package io.blurstream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blurstream.model.BlurModel;
import io.blurstream.model.io.ModelCodec;
import io.blurstream.model.update.UpdateKeys;
import io.blurstream.model.update.UpdateKind;
import io.blurstream.model.update.UpdateMessages;
import io.blurstream.model.update.UpdateStage;
import io.blurstream.operators.record.ModelEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The model-topic gate: signatures, chunks in any order, checksums, bounded uploads, restore. */
class ModelAssemblyFunctionTest {

    static final UpdateKeys.Hmac KEY = UpdateKeys.hmac(new byte[32]);
    static final ObjectMapper JSON = new ObjectMapper();

    static OneInputStreamOperatorTestHarness<ModelRecord, ModelUpdate> harness(int maxUploads)
            throws Exception {
        var h =
                new OneInputStreamOperatorTestHarness<>(
                        new ProcessOperator<>(new ModelAssemblyFunction(KEY, maxUploads)));
        h.setup();
        return h;
    }

    static List<byte[]> chunks(BlurModel model, int chunkBytes) throws Exception {
        return chunks(model, chunkBytes, KEY);
    }

    static List<byte[]> chunks(BlurModel model, int chunkBytes, UpdateKeys.Hmac key)
            throws Exception {
        return UpdateMessages.model(
                        ModelCodec.toBytes(model), UpdateStage.SERVE, Map.of(), key, chunkBytes, 1)
                .records();
    }

    static void send(OneInputStreamOperatorTestHarness<ModelRecord, ModelUpdate> h, byte[] record)
            throws Exception {
        h.processElement(new ModelRecord(record, "models/0@" + h.getOutput().size()), 0);
    }

    static List<ModelEvent> rejections(
            OneInputStreamOperatorTestHarness<ModelRecord, ModelUpdate> h) {
        var side = h.getSideOutput(ModelAssemblyFunction.MODEL_EVENTS);
        return side == null ? List.of() : side.stream().map(r -> r.getValue()).toList();
    }

    @Test
    void chunksInAnyOrderAndTwiceMakeOneVerifiedUpdate() throws Exception {
        BlurModel v1 = ForecastFunctionTest.model("plant", 1, 1);
        List<byte[]> records = new ArrayList<>(chunks(v1, 4000));
        assertThat(records.size()).isGreaterThan(3);
        Collections.reverse(records);
        records.add(1, records.get(0));
        try (var h = harness(4)) {
            h.open();
            for (byte[] record : records) {
                send(h, record);
            }
            send(h, UpdateMessages.control(UpdateKind.ROLLBACK, "plant", 1, KEY, 2));
            List<ModelUpdate> out = h.extractOutputValues();
            assertThat(out).hasSize(2);
            assertThat(out.get(0).kind).isEqualTo(UpdateKind.MODEL);
            assertThat(out.get(0).modelId).isEqualTo("plant");
            assertThat(out.get(0).version).isEqualTo(1);
            assertThat(out.get(0).modelFile).isEqualTo(ModelCodec.toBytes(v1));
            assertThat(out.get(1))
                    .isEqualTo(
                            ModelUpdate.control(
                                    UpdateKind.ROLLBACK, "plant", 1, out.get(1).origin));
            assertThat(rejections(h)).isEmpty();
        }
    }

    @Test
    void unsignedTamperedAndUnreadableRecordsAreRejectedWithTheirReason() throws Exception {
        BlurModel v1 = ForecastFunctionTest.model("plant", 1, 1);
        byte[] otherKey = new byte[32];
        otherKey[5] = 9;
        List<byte[]> good = chunks(v1, 4000);
        ObjectNode tampered = (ObjectNode) JSON.readTree(good.get(1));
        byte[] data = java.util.Base64.getDecoder().decode(tampered.get("data").textValue());
        data[10] ^= 1;
        tampered.put("data", java.util.Base64.getEncoder().encodeToString(data));
        try (var h = harness(4)) {
            h.open();
            send(h, "{\"v\":1}".getBytes());
            send(h, ModelCodec.toBytes(v1)); // a bare model file
            send(
                    h,
                    UpdateMessages.control(
                            UpdateKind.RETIRE, "plant", 1, UpdateKeys.hmac(otherKey), 0));
            for (int i = 0; i < good.size(); i++) {
                send(h, i == 1 ? JSON.writeValueAsBytes(tampered) : good.get(i));
            }
            for (byte[] chunk : chunks(v1, 4000, UpdateKeys.hmac(otherKey))) {
                send(h, chunk); // one event for the whole upload, not one per chunk
            }
            assertThat(h.extractOutputValues()).isEmpty();
            for (byte[] chunk : good) {
                send(h, chunk); // sent again after the damaged transfer: goes through
            }
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(u -> assertThat(u.modelFile).isEqualTo(ModelCodec.toBytes(v1)));
            assertThat(rejections(h))
                    .extracting(e -> e.reason)
                    .satisfiesExactly(
                            r -> assertThat(r).startsWith("unreadable: record.v: unknown member"),
                            r -> assertThat(r).contains("a bare model file"),
                            r -> assertThat(r).startsWith("bad signature"),
                            r -> assertThat(r).startsWith("checksum mismatch"),
                            r -> assertThat(r).startsWith("bad signature"));
            assertThat(rejections(h).get(2).kind).isEqualTo("retire");
            assertThat(rejections(h).get(3).modelId).isEqualTo("plant");
            assertThat(rejections(h))
                    .allSatisfy(e -> assertThat(e.outcome).isEqualTo(ModelEvent.Outcome.REJECTED));
        }
    }

    @Test
    void abandonedUploadsAreDroppedOldestFirst() throws Exception {
        try (var h = harness(2)) {
            h.open();
            for (int v = 1; v <= 3; v++) {
                send(h, chunks(ForecastFunctionTest.model("plant", v, v), 4000).get(0));
            }
            assertThat(rejections(h))
                    .singleElement()
                    .satisfies(
                            e -> {
                                assertThat(e.version).isEqualTo(1);
                                assertThat(e.reason).startsWith("incomplete: 1 of ");
                            });
        }
    }

    @Test
    void anUploadInterruptedByARestoreCompletesAfterIt() throws Exception {
        BlurModel v1 = ForecastFunctionTest.model("plant", 1, 1);
        List<byte[]> records = chunks(v1, 4000);
        OperatorSubtaskState snapshot;
        try (var h = harness(4)) {
            h.open();
            send(h, records.get(0));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(4)) {
            h.initializeState(snapshot);
            h.open();
            for (byte[] record : records.subList(1, records.size())) {
                send(h, record);
            }
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(u -> assertThat(u.modelFile).isEqualTo(ModelCodec.toBytes(v1)));
        }
    }

    @Test
    void stateAndRecordsArePojosNotKryo() {
        for (Class<?> type :
                List.of(
                        ModelAssemblyFunction.PartialUpload.class,
                        ModelUpdate.class,
                        ModelRecord.class,
                        ModelSlot.class,
                        ModelEvent.class)) {
            assertThat(TypeInformation.of(type))
                    .as(type.getSimpleName())
                    .isInstanceOf(PojoTypeInfo.class);
            assertThat(TypeInformation.of(type).toString()).doesNotContain("GenericType");
        }
    }
}
