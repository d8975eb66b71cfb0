package io.blurstream.model;

/** How the channels of a window enter the network. */
public enum ChannelMode {
    /** All channels form one multivariate sequence: the multi-source fusion mode. */
    MIXING,
    /** Each channel is its own univariate sequence through shared weights. */
    INDEPENDENT
}
