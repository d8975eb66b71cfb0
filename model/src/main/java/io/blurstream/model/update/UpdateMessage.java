package io.blurstream.model.update;

/**
 * One record of the model topic, read but not yet trusted: the header exactly as signed, its parsed
 * form, the signature, and for a model the index and bytes of this chunk of the file.
 *
 * @param headerJson the signed header bytes as text
 * @param header the parsed header
 * @param signature the signature over {@code headerJson}'s UTF-8 bytes
 * @param chunk index of this chunk ({@code 0 ≤ chunk < header.chunks()}); 0 for control messages
 * @param data this chunk of the model file; empty for control messages
 */
public record UpdateMessage(
        String headerJson, UpdateHeader header, byte[] signature, int chunk, byte[] data) {}
