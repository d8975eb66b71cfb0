package io.blurstream.operators.inference;

import io.blurstream.model.update.UpdateFormatException;
import io.blurstream.model.update.UpdateHeader;
import io.blurstream.model.update.UpdateKind;
import io.blurstream.model.update.UpdateMessage;
import io.blurstream.model.update.UpdateMessages;
import io.blurstream.model.update.UpdateVerifier;
import io.blurstream.operators.record.ModelEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate of the model topic: reads each record ({@link UpdateMessages}), checks its signature
 * against the job's key, puts chunked model files back together and checks them against the signed
 * SHA-256. What passes goes on as a {@link ModelUpdate}; anything else is rejected — counted,
 * logged with the reason and published as a {@link ModelEvent} on {@link #MODEL_EVENTS} — and
 * changes nothing.
 *
 * <p>Runs at parallelism 1 right after the model source, so every record is judged once. Uploads in
 * progress are operator state, so a checkpoint between two chunks of a file loses nothing. At most
 * {@code maxUploads} uploads are in progress at a time; starting one more drops the oldest
 * incomplete one (rejected: "incomplete"), so an abandoned upload cannot hold memory forever.
 * Chunks of an upload may come in any order; a chunk seen twice (an at-least-once publisher) is
 * ignored. An upload with a bad signature is reported once, not once per chunk: the last 16 are
 * remembered (in operator state too) and their other chunks dropped.
 *
 * <h2>Metrics</h2>
 *
 * {@code modelMessagesRead}, {@code modelMessagesRejected}.
 */
public class ModelAssemblyFunction extends ProcessFunction<ModelRecord, ModelUpdate>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(ModelAssemblyFunction.class);

    private static final String UPLOADS_STATE = "model-uploads";
    private static final String REJECTED_STATE = "model-rejected-uploads";

    /** Rejected uploads remembered, so their other chunks do not make an event each. */
    private static final int REMEMBERED_REJECTIONS = 16;

    /** Rejected model-topic records. */
    public static final OutputTag<ModelEvent> MODEL_EVENTS =
            new OutputTag<>("model-assembly-events", TypeInformation.of(ModelEvent.class));

    public static final String METRIC_READ = "modelMessagesRead";
    public static final String METRIC_REJECTED = "modelMessagesRejected";

    /** Uploads in progress at most, by default. */
    public static final int DEFAULT_MAX_UPLOADS = 4;

    private final UpdateVerifier verifier;
    private final int maxUploads;

    private transient ListState<PartialUpload> uploadState;

    /** Uploads in progress, oldest first, by their signed header. */
    private transient LinkedHashMap<String, PartialUpload> uploads;

    private transient ListState<String> rejectedState;

    /**
     * Header and signature of uploads whose signature failed, oldest first: their other chunks are
     * dropped. (A checksum failure is not remembered: a correct re-send must go through.)
     */
    private transient LinkedHashSet<String> rejectedUploads;

    private transient Counter read;
    private transient Counter rejected;

    /**
     * @param verifier checks the signatures: the job's HMAC secret or Ed25519 public key
     * @param maxUploads chunked uploads in progress at most (≥ 1)
     */
    public ModelAssemblyFunction(UpdateVerifier verifier, int maxUploads) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        if (maxUploads < 1) {
            throw new IllegalArgumentException("maxUploads must be ≥ 1, got " + maxUploads);
        }
        this.maxUploads = maxUploads;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        uploadState =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        UPLOADS_STATE, TypeInformation.of(PartialUpload.class)));
        uploads = new LinkedHashMap<>();
        for (PartialUpload upload : uploadState.get()) {
            uploads.put(upload.headerJson, upload);
        }
        rejectedState =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>(REJECTED_STATE, String.class));
        rejectedUploads = new LinkedHashSet<>();
        rejectedState.get().forEach(rejectedUploads::add);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        uploadState.update(new ArrayList<>(uploads.values()));
        rejectedState.update(new ArrayList<>(rejectedUploads));
    }

    @Override
    public void open(OpenContext openContext) {
        read = getRuntimeContext().getMetricGroup().counter(METRIC_READ);
        rejected = getRuntimeContext().getMetricGroup().counter(METRIC_REJECTED);
    }

    @Override
    public void processElement(ModelRecord record, Context ctx, Collector<ModelUpdate> out) {
        read.inc();
        UpdateMessage message;
        try {
            message = UpdateMessages.read(record.value);
        } catch (UpdateFormatException e) {
            reject(ctx, record.origin, null, "unreadable: " + e.getMessage());
            return;
        }
        UpdateHeader header = message.header();
        String signed =
                message.headerJson()
                        + "\n"
                        + Base64.getEncoder().encodeToString(message.signature());
        if (rejectedUploads.contains(signed)) {
            return; // another chunk of an upload whose signature failed (reported once)
        }
        PartialUpload upload = uploads.get(message.headerJson());
        if (upload == null) {
            // verified once per upload: every chunk carries the same header and signature
            String badSignature = UpdateMessages.checkSignature(message, verifier);
            if (badSignature != null) {
                if (header.kind() == UpdateKind.MODEL) {
                    rememberRejected(signed);
                }
                reject(ctx, record.origin, header, badSignature);
                return;
            }
            if (header.kind() != UpdateKind.MODEL) {
                out.collect(
                        ModelUpdate.control(
                                header.kind(), header.modelId(), header.version(), record.origin));
                return;
            }
            upload = PartialUpload.start(message, record.origin);
            uploads.put(message.headerJson(), upload);
            dropOldestBeyondLimit(ctx);
        } else if (!Arrays.equals(upload.signature, message.signature())) {
            reject(
                    ctx,
                    record.origin,
                    header,
                    "chunk " + message.chunk() + " carries another signature than its upload");
            return;
        }
        if (upload.chunks[message.chunk()] != null) {
            return; // a chunk sent twice
        }
        upload.chunks[message.chunk()] = message.data();
        upload.received++;
        if (upload.received < upload.chunks.length) {
            return;
        }
        uploads.remove(message.headerJson());
        byte[] file;
        try {
            file = UpdateMessages.join(header, upload.chunks);
        } catch (UpdateFormatException e) {
            reject(ctx, upload.origin, header, e.getMessage());
            return;
        }
        out.collect(
                ModelUpdate.model(
                        header.modelId(), header.version(), header.stage(), file, upload.origin));
    }

    private void rememberRejected(String signedHeader) {
        rejectedUploads.add(signedHeader);
        while (rejectedUploads.size() > REMEMBERED_REJECTIONS) {
            rejectedUploads.remove(rejectedUploads.iterator().next());
        }
    }

    private void dropOldestBeyondLimit(Context ctx) {
        while (uploads.size() > maxUploads) {
            Map.Entry<String, PartialUpload> oldest = uploads.entrySet().iterator().next();
            uploads.remove(oldest.getKey());
            PartialUpload dropped = oldest.getValue();
            reject(
                    ctx,
                    dropped.origin,
                    UpdateKind.MODEL,
                    dropped.modelId,
                    dropped.version,
                    "incomplete: "
                            + dropped.received
                            + " of "
                            + dropped.chunks.length
                            + " chunks had arrived when "
                            + maxUploads
                            + " newer uploads started");
        }
    }

    private void reject(Context ctx, String origin, UpdateHeader header, String reason) {
        if (header == null) {
            reject(ctx, origin, null, null, -1, reason);
        } else {
            reject(ctx, origin, header.kind(), header.modelId(), header.version(), reason);
        }
    }

    private void reject(
            Context ctx,
            String origin,
            UpdateKind kind,
            String modelId,
            long version,
            String reason) {
        rejected.inc();
        LOG.warn(
                "Rejected the model-topic record {} ({} {} v{}): {}",
                origin,
                kind,
                modelId,
                version,
                reason);
        ModelEvent event = new ModelEvent();
        event.atMillis = System.currentTimeMillis();
        event.origin = origin;
        event.outcome = ModelEvent.Outcome.REJECTED;
        event.reason = reason;
        event.kind = kind == null ? null : kind.wireName();
        event.modelId = modelId;
        event.version = version;
        ctx.output(MODEL_EVENTS, event);
    }

    /** Chunks of one model file received so far. A Flink POJO (operator state). */
    public static class PartialUpload {
        /** The signed header, exactly as sent: identifies the upload. */
        public String headerJson;

        public byte[] signature;

        /** Chunk bytes by index; null where not yet received. */
        public byte[][] chunks;

        public int received;

        /** Origin of the first chunk seen. */
        public String origin;

        /** The model id and version the header names, for the event of a dropped upload. */
        public String modelId;

        public long version;

        public PartialUpload() {}

        static PartialUpload start(UpdateMessage message, String origin) {
            PartialUpload upload = new PartialUpload();
            upload.headerJson = message.headerJson();
            upload.signature = message.signature();
            upload.chunks = new byte[message.header().chunks()][];
            upload.origin = origin;
            upload.modelId = message.header().modelId();
            upload.version = message.header().version();
            return upload;
        }
    }
}
