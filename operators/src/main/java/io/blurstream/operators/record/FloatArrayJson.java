package io.blurstream.operators.record;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * Writes a {@code float[]} as a JSON array of numbers through {@link FloatText}: the same shortest
 * decimals, without the few objects per number the generator's own float formatting allocates.
 * Non-finite values (not valid JSON numbers) go to the generator as they would without this class.
 */
final class FloatArrayJson extends StdSerializer<float[]> {

    FloatArrayJson() {
        super(float[].class);
    }

    @Override
    public void serialize(float[] values, JsonGenerator gen, SerializerProvider provider)
            throws IOException {
        char[] text = new char[FloatText.MAX_CHARS];
        gen.writeStartArray(values, values.length);
        for (float value : values) {
            if (Float.isFinite(value)) {
                gen.writeNumber(text, 0, FloatText.write(value, text, 0));
            } else {
                gen.writeNumber(value);
            }
        }
        gen.writeEndArray();
    }
}
