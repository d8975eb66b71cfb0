package io.blurstream.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * What the pipeline benchmark needs of a forecast record: its group, tick and latency. Read with a
 * streaming parser that skips the forecast values unparsed, so the benchmark's own reader, which
 * shares the job's two cores, takes as little CPU from the job as it can: decoding every value of
 * every forecast into floats cost about as much as a tenth of an inference.
 */
record ForecastStamp(String groupId, long issuedForMillis, long latencyMillis) {

    private static final JsonFactory JSON = new JsonFactory();

    /** The stamp of one forecast record as the job writes it. */
    static ForecastStamp read(byte[] json) throws IOException {
        String group = null;
        long issuedFor = Long.MIN_VALUE;
        long latency = Long.MIN_VALUE;
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a forecast record is a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "groupId" -> group = parser.getValueAsString();
                    case "issuedForMillis" -> issuedFor = parser.getLongValue();
                    case "latencyMillis" -> latency = parser.getLongValue();
                    default -> {
                        if (value.isStructStart()) {
                            parser.skipChildren();
                        }
                    }
                }
            }
        }
        if (group == null || issuedFor == Long.MIN_VALUE || latency == Long.MIN_VALUE) {
            throw new IOException(
                    "a forecast record without groupId, issuedForMillis or latencyMillis");
        }
        return new ForecastStamp(group, issuedFor, latency);
    }
}
