package io.blurstream.operators.record;

import java.math.BigDecimal;

/**
 * Writes a float as the shortest decimal that reads back as the same float, into a caller's char
 * array, allocating nothing. A forecast carries hundreds of floats; the JSON writers' own float
 * formatting allocates a few objects per number, which made it the job's largest source of garbage.
 *
 * <p>The method: for p = 1, 2, ... significant digits, take the p-digit decimal nearest to the
 * value and accept it when it reads back as the value, that is, when it lies inside the value's
 * rounding interval (half the gap to each neighbouring float; on the edge, round half to even
 * decides). Nine digits always suffice for a float. The test runs in double, whose error (about
 * 2^-52 of the value) is far below the interval's half-width (at least 2^-26 of the value); a
 * candidate within a millionth of the interval's edge is decided in exact arithmetic instead, the
 * only path that allocates.
 *
 * <p>Format as {@link Float#toString}: plain between 10⁻³ and 10⁷, otherwise {@code d.dddE±n}.
 */
final class FloatText {

    /** Characters {@link #write} needs at most: {@code -1.23456789E-45}. */
    static final int MAX_CHARS = 16;

    private static final int POW10_OFFSET = 64;
    private static final double[] POW10 = new double[2 * POW10_OFFSET + 1];
    private static final long[] LONG_POW10 = new long[19];

    /** "00", "01", ... "99" back to back: two digits per division by 100. */
    private static final char[] DIGIT_PAIRS = new char[200];

    private static final double LOG10_2 = 0.30102999566398119521;

    // a candidate this close to the edge of its rounding interval, relatively, is decided exactly
    private static final double EDGE_MARGIN = 1e-6;

    static {
        for (int k = -POW10_OFFSET; k <= POW10_OFFSET; k++) {
            POW10[k + POW10_OFFSET] = Double.parseDouble("1e" + k);
        }
        for (int d = 0; d < 100; d++) {
            DIGIT_PAIRS[2 * d] = (char) ('0' + d / 10);
            DIGIT_PAIRS[2 * d + 1] = (char) ('0' + d % 10);
        }
        long power = 1;
        for (int k = 0; k < LONG_POW10.length; k++) {
            LONG_POW10[k] = power;
            power *= 10;
        }
    }

    private FloatText() {}

    /**
     * Writes {@code value} at {@code pos} of {@code out} (at least {@link #MAX_CHARS} free) and
     * returns the position after it.
     *
     * @throws IllegalArgumentException if {@code value} is NaN or infinite: JSON has no such number
     */
    static int write(float value, char[] out, int pos) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException("not a finite float: " + value);
        }
        if (Float.floatToRawIntBits(value) < 0) {
            out[pos++] = '-';
        }
        float abs = Math.abs(value);
        if (abs == 0) {
            out[pos++] = '0';
            out[pos++] = '.';
            out[pos++] = '0';
            return pos;
        }
        double a = abs;
        double above = abs == Float.MAX_VALUE ? Math.ulp(abs) / 2.0 : (Math.nextUp(abs) - a) / 2;
        double below = (a - Math.nextDown(abs)) / 2;
        int e10 = decimalExponent(a);
        // Reading back is monotone in p (the nearest decimal of p + 1 digits is at least as near
        // as that of p digits), so a search finds the fewest digits. Ten always suffice: nine,
        // plus one should the decimal exponent be an overestimate. Most floats a model or a sensor
        // writes need eight or nine, so the search checks eight first, then seven or nine, and
        // bisects only after that: two checks settle most of them, where bisecting 1..10 from the
        // start takes three or four.
        int lo = 1;
        int hi = 10;
        long digitsAtHi = -1; // the digits of hi once a check has found that hi reads back
        for (int checks = 0; lo < hi; checks++) {
            int p = checks == 0 ? 8 : checks == 1 ? (hi == 8 ? 7 : 9) : (lo + hi) >>> 1;
            long m = readBackDigits(a, abs, above, below, e10 - p + 1);
            if (m > 0) {
                hi = p;
                digitsAtHi = m;
            } else {
                lo = p + 1;
            }
        }
        if (digitsAtHi < 0) {
            digitsAtHi = readBackDigits(a, abs, above, below, e10 - hi + 1);
        }
        if (digitsAtHi > 0) {
            return digits(digitsAtHi, e10 - hi + 1, out, pos);
        }
        // unreachable for finite floats; kept as a safe fallback
        String text = Float.toString(abs);
        text.getChars(0, text.length(), out, pos);
        return pos + text.length();
    }

    /** {@code floor(log10(a))} for a positive float value {@code a}. */
    private static int decimalExponent(double a) {
        // log10(a) lies in [e2 · log10(2), (e2 + 1) · log10(2)): floor is e10 or e10 + 1
        int e10 = (int) Math.floor(Math.getExponent(a) * LOG10_2);
        return a >= POW10[POW10_OFFSET + e10 + 1] ? e10 + 1 : e10;
    }

    /**
     * The digits {@code m} of the decimal {@code m · 10^q} nearest to {@code a}, if it reads back
     * as {@code abs}, whose rounding interval reaches {@code above} up and {@code below} down; -1
     * if it does not.
     */
    private static long readBackDigits(double a, float abs, double above, double below, int q) {
        long m = Math.round(a * POW10[POW10_OFFSET - q]);
        if (m <= 0) {
            return -1;
        }
        double d = m * POW10[POW10_OFFSET + q];
        double distance = Math.abs(d - a);
        double half = d >= a ? above : below;
        if (distance < half * (1 - EDGE_MARGIN)) {
            return m;
        }
        if (distance > half * (1 + EDGE_MARGIN)) {
            return -1;
        }
        return exactlyInside(m, q, abs) ? m : -1;
    }

    /**
     * Whether {@code m · 10^q} reads back as {@code abs}, decided in exact arithmetic: it does
     * strictly inside the rounding interval, and on its edge when {@code abs}'s significand is even
     * (round half to even). Only for candidates near the edge, where double arithmetic cannot tell;
     * large whole floats put many decimals exactly on it.
     */
    private static boolean exactlyInside(long m, int q, float abs) {
        BigDecimal decimal = BigDecimal.valueOf(m).scaleByPowerOfTen(q);
        BigDecimal value = new BigDecimal(abs);
        int side = decimal.compareTo(value);
        if (side == 0) {
            return true;
        }
        BigDecimal neighbour =
                side < 0
                        ? new BigDecimal(Math.nextDown(abs))
                        : abs == Float.MAX_VALUE
                                ? value.add(new BigDecimal(Math.ulp(abs)))
                                : new BigDecimal(Math.nextUp(abs));
        BigDecimal edge = value.add(neighbour).multiply(new BigDecimal("0.5"));
        int toEdge = decimal.subtract(value).abs().compareTo(edge.subtract(value).abs());
        return toEdge < 0 || (toEdge == 0 && (Float.floatToRawIntBits(abs) & 1) == 0);
    }

    /** Writes {@code m · 10^q} (m > 0) in {@link Float#toString}'s layout. */
    private static int digits(long m, int q, char[] out, int pos) {
        while (m % 10 == 0) {
            m /= 10;
            q++;
        }
        int n = 1;
        while (n < LONG_POW10.length && m >= LONG_POW10[n]) {
            n++;
        }
        int exponent = q + n - 1; // of the first digit
        if (exponent >= 0 && exponent < 7) {
            int intDigits = exponent + 1;
            if (n <= intDigits) {
                pos = put(m, n, out, pos);
                for (int i = n; i < intDigits; i++) {
                    out[pos++] = '0';
                }
                out[pos++] = '.';
                out[pos++] = '0';
            } else {
                long scale = LONG_POW10[n - intDigits];
                pos = put(m / scale, intDigits, out, pos);
                out[pos++] = '.';
                pos = put(m % scale, n - intDigits, out, pos);
            }
            return pos;
        }
        if (exponent < 0 && exponent >= -3) {
            out[pos++] = '0';
            out[pos++] = '.';
            for (int i = 0; i < -exponent - 1; i++) {
                out[pos++] = '0';
            }
            return put(m, n, out, pos);
        }
        long scale = LONG_POW10[n - 1];
        out[pos++] = (char) ('0' + m / scale);
        out[pos++] = '.';
        if (n > 1) {
            pos = put(m % scale, n - 1, out, pos);
        } else {
            out[pos++] = '0';
        }
        out[pos++] = 'E';
        if (exponent < 0) {
            out[pos++] = '-';
            exponent = -exponent;
        }
        if (exponent >= 10) {
            out[pos++] = (char) ('0' + exponent / 10);
        }
        out[pos++] = (char) ('0' + exponent % 10);
        return pos;
    }

    /** Writes the {@code n} last decimal digits of {@code v}, leading zeros included. */
    private static int put(long v, int n, char[] out, int pos) {
        int i = pos + n;
        if (v <= Integer.MAX_VALUE) {
            // fits an int (every nine-digit value does): int division, two digits at a time
            int w = (int) v;
            while (i - pos >= 2) {
                int pair = (w % 100) * 2;
                w /= 100;
                out[--i] = DIGIT_PAIRS[pair + 1];
                out[--i] = DIGIT_PAIRS[pair];
            }
            if (i > pos) {
                out[--i] = (char) ('0' + w % 10);
            }
            return pos + n;
        }
        while (i > pos) {
            out[--i] = (char) ('0' + v % 10);
            v /= 10;
        }
        return pos + n;
    }
}
