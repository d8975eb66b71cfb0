package io.blurstream.operators.catalog;

import io.blurstream.model.BlurConfig;
import java.io.Serializable;
import java.util.List;

/**
 * A source group: the channels that are fused into one grid and forecast together by one model.
 *
 * @param id the group id, the key of alignment and window assembly
 * @param stepMillis grid step; ticks are the multiples of it since the epoch
 * @param channels channels in model order (the columns of rows and windows)
 * @param maxGapTicks a group silent for more than this many steps stops ticking; window assembly
 *     resets after more than this many consecutive all-missing rows
 * @param allowedLatenessMillis a tick is emitted once the watermark passes {@code tick +
 *     allowedLateness}; readings for emitted ticks are late
 * @param pinnedModelId the model id that serves this group, or null for the job's default model
 */
public record GroupSpec(
        String id,
        long stepMillis,
        List<ChannelSpec> channels,
        int maxGapTicks,
        long allowedLatenessMillis,
        String pinnedModelId)
        implements Serializable {

    public GroupSpec {
        channels = List.copyOf(channels);
    }

    public int channelCount() {
        return channels.size();
    }

    public ChannelSpec channel(int index) {
        return channels.get(index);
    }

    /** Index of the channel named {@code name}, or -1. */
    public int channelIndex(String name) {
        for (int i = 0; i < channels.size(); i++) {
            if (channels.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Channel names in model order. */
    public List<String> channelNames() {
        return channels.stream().map(ChannelSpec::name).toList();
    }

    /**
     * Checks that a model can forecast this group: same channels in the same order and the same
     * grid step.
     *
     * @throws IllegalArgumentException naming the first difference
     */
    public void checkServedBy(BlurConfig config) {
        if (!config.channels().equals(channelNames())) {
            throw new IllegalArgumentException(
                    "group "
                            + id
                            + " has channels "
                            + channelNames()
                            + " but the model reads "
                            + config.channels());
        }
        if (config.gridStepMillis() != stepMillis) {
            throw new IllegalArgumentException(
                    "group "
                            + id
                            + " has a step of "
                            + stepMillis
                            + " ms but the model was trained on "
                            + config.gridStepMillis()
                            + " ms");
        }
    }
}
