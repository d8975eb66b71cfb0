package io.blurstream.operators.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FloatTextTest {

    static String text(float value) {
        char[] out = new char[FloatText.MAX_CHARS];
        return new String(out, 0, FloatText.write(value, out, 0));
    }

    /** Significant digits of a decimal as Float.toString lays it out. */
    static int significantDigits(String decimal) {
        String mantissa = decimal.replace("-", "").split("E")[0].replace(".", "");
        mantissa = mantissa.replaceFirst("^0+", "").replaceFirst("0+$", "");
        return Math.max(1, mantissa.length());
    }

    @ParameterizedTest
    @CsvSource({
        "0.1, 0.1",
        "100, 100.0",
        "-2.5, -2.5",
        "0.001, 0.001",
        "0.0001, 1.0E-4",
        "1234567, 1234567.0",
        "10000000, 1.0E7",
        "123456.7, 123456.7",
        "1.4E-45, 1.0E-45",
        "3.4028235E38, 3.4028235E38",
        "1.17549435E-38, 1.1754944E-38",
        "-0.0, -0.0",
        "0, 0.0",
        "16777216, 1.6777216E7"
    })
    void writesTheShortestDecimalInFloatToStringsLayout(float value, String expected) {
        assertThat(text(value)).isEqualTo(expected);
    }

    @Test
    void everyFloatReadsBackExactlyAndNoLongerThanTheShortestDecimal() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 1_000_000; i++) {
            // every bit pattern is equally likely: all exponents, subnormals included
            float value = Float.intBitsToFloat(random.nextInt());
            if (!Float.isFinite(value)) {
                continue;
            }
            String text = text(value);
            assertThat(Float.floatToRawIntBits(Float.parseFloat(text)))
                    .as("%s written as %s", value, text)
                    .isEqualTo(Float.floatToRawIntBits(value));
            // Jackson's Schubfach writer gives the shortest decimals (with at least two digits)
            assertThat(significantDigits(text))
                    .as("%s written as %s", value, text)
                    .isLessThanOrEqualTo(significantDigits(NumberOutput.toString(value, true)));
        }
    }

    @Test
    void valuesOfEveryMagnitudeOnADenseGridReadBackExactly() {
        for (float value = 1e-6f; value < 1e9f; value *= 1.0001f) {
            assertThat(Float.parseFloat(text(value))).isEqualTo(value);
        }
    }

    @Test
    void aNonFiniteValueIsAnError() {
        assertThatThrownBy(() -> text(Float.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> text(Float.NEGATIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
