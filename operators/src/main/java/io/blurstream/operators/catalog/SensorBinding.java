package io.blurstream.operators.catalog;

import java.io.Serializable;

/**
 * Where a sensor's readings go: a group and the index of a channel in that group's channel order.
 *
 * @param sensorId the sensor id used on the wire
 * @param groupId the group the sensor feeds
 * @param channel index of the channel in {@link GroupSpec#channels()}
 */
public record SensorBinding(String sensorId, String groupId, int channel) implements Serializable {}
