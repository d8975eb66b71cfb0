package io.blurstream.operators.catalog;

import java.io.Serializable;

/**
 * One channel of a group: its name (a column of the model), how its readings are fused onto the
 * grid, and how old a reading may be to still be carried to a tick.
 *
 * @param name channel name, unique in its group
 * @param fill the fill policy
 * @param maxStalenessMillis a reading older than this (tick time minus reading time) is not carried
 *     or interpolated from; the tick is then MISSING for this channel
 */
public record ChannelSpec(String name, FillPolicy fill, long maxStalenessMillis)
        implements Serializable {}
