package io.blurstream.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * Everything that fixes the shape and semantics of a BLUR model: the window it reads, what it
 * forecasts, and the network sizes. Immutable and validated on construction; the model file stores
 * it verbatim under {@code config}.
 *
 * @param window number of time steps {@code W} in an input window
 * @param horizon number of future steps the model forecasts
 * @param channels channel names in model order (the columns of a window)
 * @param gridStepMillis the time between two rows of the fused grid
 * @param channelMode whether channels are mixed or treated independently
 * @param revin per-window instance normalisation of each channel
 * @param hidden model width {@code H}
 * @param state complex states {@code N} per recurrence
 * @param layers number of blocks {@code L}
 * @param direction bidirectional BLUR or the unidirectional LRU baseline
 * @param recurrence the form of the state transition
 * @param dropout dropout rate used in training (inference ignores it)
 * @param rMin smallest initial eigenvalue magnitude of the ring initialisation
 * @param rMax largest initial eigenvalue magnitude
 * @param maxPhase largest initial eigenvalue phase, radians
 */
public record BlurConfig(
        int window,
        int horizon,
        List<String> channels,
        long gridStepMillis,
        ChannelMode channelMode,
        boolean revin,
        int hidden,
        int state,
        int layers,
        Direction direction,
        Recurrence recurrence,
        double dropout,
        double rMin,
        double rMax,
        double maxPhase) {

    public BlurConfig {
        validate(
                window,
                horizon,
                channels,
                gridStepMillis,
                channelMode,
                hidden,
                state,
                layers,
                direction,
                recurrence,
                dropout,
                rMin,
                rMax,
                maxPhase);
    }

    /** Channels entering the encoder per step: all of them when mixing, one when independent. */
    @JsonIgnore
    public int inputChannels() {
        return channelMode == ChannelMode.MIXING ? channels.size() : 1;
    }

    /** Channels the head emits per step; equal to {@link #inputChannels()}. */
    @JsonIgnore
    public int outputChannels() {
        return inputChannels();
    }

    /** Number of channels of a window. */
    @JsonIgnore
    public int channelCount() {
        return channels.size();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .window(window)
                .horizon(horizon)
                .channels(channels)
                .gridStepMillis(gridStepMillis)
                .channelMode(channelMode)
                .revin(revin)
                .hidden(hidden)
                .state(state)
                .layers(layers)
                .direction(direction)
                .recurrence(recurrence)
                .dropout(dropout)
                .rMin(rMin)
                .rMax(rMax)
                .maxPhase(maxPhase);
    }

    private static void validate(
            int window,
            int horizon,
            List<String> channels,
            long gridStepMillis,
            ChannelMode channelMode,
            int hidden,
            int state,
            int layers,
            Direction direction,
            Recurrence recurrence,
            double dropout,
            double rMin,
            double rMax,
            double maxPhase) {
        positive("window", window);
        positive("horizon", horizon);
        positive("hidden", hidden);
        positive("state", state);
        positive("layers", layers);
        if (gridStepMillis <= 0) {
            throw invalid("gridStepMillis", "must be > 0", gridStepMillis);
        }
        if (channels == null || channels.isEmpty()) {
            throw invalid("channels", "must name at least one channel", channels);
        }
        if (channels.stream().anyMatch(c -> c == null || c.isBlank())) {
            throw invalid("channels", "must not contain blank names", channels);
        }
        if (channels.stream().distinct().count() != channels.size()) {
            throw invalid("channels", "must not repeat a name", channels);
        }
        if (channelMode == null) {
            throw invalid("channelMode", "is required (MIXING or INDEPENDENT)", null);
        }
        if (direction == null) {
            throw invalid("direction", "is required (BIDIRECTIONAL or FORWARD)", null);
        }
        if (recurrence == null) {
            throw invalid("recurrence", "is required (DIAGONAL)", null);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw invalid("dropout", "must be in [0, 1)", dropout);
        }
        if (!(rMax >= 0 && rMax < 1)) {
            throw invalid("rMax", "must be in [0, 1)", rMax);
        }
        if (!(rMin >= 0 && rMin <= rMax)) {
            throw invalid("rMin", "must be in [0, rMax=" + rMax + "]", rMin);
        }
        if (!(maxPhase > 0 && Double.isFinite(maxPhase))) {
            throw invalid("maxPhase", "must be finite and > 0", maxPhase);
        }
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw invalid(field, "must be > 0", value);
        }
    }

    private static IllegalArgumentException invalid(String field, String rule, Object value) {
        return new IllegalArgumentException("config." + field + " " + rule + ", got " + value);
    }

    /** Builder with the defaults of the reference network (W=96, H=N=64, L=2, BLUR, mixing). */
    public static final class Builder {
        private int window = 96;
        private int horizon = 96;
        private List<String> channels;
        private long gridStepMillis = 3_600_000L;
        private ChannelMode channelMode = ChannelMode.MIXING;
        private boolean revin = false;
        private int hidden = 64;
        private int state = 64;
        private int layers = 2;
        private Direction direction = Direction.BIDIRECTIONAL;
        private Recurrence recurrence = Recurrence.DIAGONAL;
        private double dropout = 0.1;
        private double rMin = 0.0;
        private double rMax = 1.0 - 1e-3;
        private double maxPhase = 2 * Math.PI;

        private Builder() {}

        public Builder window(int window) {
            this.window = window;
            return this;
        }

        public Builder horizon(int horizon) {
            this.horizon = horizon;
            return this;
        }

        public Builder channels(List<String> channels) {
            this.channels = channels;
            return this;
        }

        /** Convenience: {@code count} channels named {@code c0, c1, ...}. */
        public Builder channelCount(int count) {
            this.channels =
                    java.util.stream.IntStream.range(0, count).mapToObj(i -> "c" + i).toList();
            return this;
        }

        public Builder gridStepMillis(long gridStepMillis) {
            this.gridStepMillis = gridStepMillis;
            return this;
        }

        public Builder channelMode(ChannelMode channelMode) {
            this.channelMode = channelMode;
            return this;
        }

        public Builder revin(boolean revin) {
            this.revin = revin;
            return this;
        }

        public Builder hidden(int hidden) {
            this.hidden = hidden;
            return this;
        }

        public Builder state(int state) {
            this.state = state;
            return this;
        }

        public Builder layers(int layers) {
            this.layers = layers;
            return this;
        }

        public Builder direction(Direction direction) {
            this.direction = direction;
            return this;
        }

        public Builder recurrence(Recurrence recurrence) {
            this.recurrence = recurrence;
            return this;
        }

        public Builder dropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        public Builder rMin(double rMin) {
            this.rMin = rMin;
            return this;
        }

        public Builder rMax(double rMax) {
            this.rMax = rMax;
            return this;
        }

        public Builder maxPhase(double maxPhase) {
            this.maxPhase = maxPhase;
            return this;
        }

        public BlurConfig build() {
            return new BlurConfig(
                    window,
                    horizon,
                    channels,
                    gridStepMillis,
                    channelMode,
                    revin,
                    hidden,
                    state,
                    layers,
                    direction,
                    recurrence,
                    dropout,
                    rMin,
                    rMax,
                    maxPhase);
        }
    }
}
