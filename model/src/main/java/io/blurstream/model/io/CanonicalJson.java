package io.blurstream.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The canonical serialisation of a JSON tree that the model checksum is computed over. It is, byte
 * for byte, what Python 3 writes with {@code json.dumps(tree, sort_keys=True, separators=(",",
 * ":"), ensure_ascii=False).encode("utf-8")} for the tree {@code json.loads} makes of the same
 * document:
 *
 * <ul>
 *   <li>no whitespace outside strings; members of every object sorted by key in Unicode code point
 *       order (the order of the keys' UTF-8 bytes), at every depth; arrays keep their order;
 *   <li>strings: {@code "} and {@code \} escaped with a backslash, the control characters U+0008,
 *       U+000C, U+000A, U+000D, U+0009 as {@code \b \f \n \r \t}, the other characters below U+0020
 *       as {@code \}{@code u00xx} (lowercase hex), everything else written as is, in UTF-8; an
 *       unpaired surrogate (which UTF-8 cannot hold) is written as a {@code \}{@code udxxx} escape;
 *   <li>{@code true}, {@code false}, {@code null};
 *   <li>numbers written without a fraction or exponent in the document (JSON integers): their
 *       decimal value, {@code -} for negatives;
 *   <li>all other numbers are IEEE 754 doubles (the nearest to the decimal in the document) written
 *       as Python's {@code repr(float)}: the shortest decimal digit string that reads back as the
 *       same double (the one closest to it when several are as short), in positional notation with
 *       at least one fractional digit ({@code 0.1}, {@code 100.0}, {@code 0.0001}) when the decimal
 *       exponent {@code e} of the value {@code d.ddd × 10^e} satisfies {@code -4 <= e < 16}, else
 *       in scientific notation with a signed exponent of at least two digits and no trailing {@code
 *       .0} ({@code 1e-05}, {@code 1.5e+16}, {@code 5e-324}); {@code -0.0} keeps its sign;
 *       non-finite values are {@code NaN}, {@code Infinity}, {@code -Infinity}.
 * </ul>
 */
final class CanonicalJson {

    private static final HexFormat HEX = HexFormat.of();

    private CanonicalJson() {}

    /** The canonical serialisation of {@code node}, UTF-8. */
    static byte[] toBytes(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeTo(node, out);
        return out.toByteArray();
    }

    /** Lowercase hex SHA-256 of the canonical serialisation, without materialising it. */
    static String sha256Hex(JsonNode node) {
        MessageDigest digest = sha256();
        writeTo(node, new DigestOutputStream(OutputStream.nullOutputStream(), digest));
        return HEX.formatHex(digest.digest());
    }

    private static void writeTo(JsonNode node, OutputStream out) {
        try (Writer writer =
                new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
            write(node, writer);
        } catch (IOException e) {
            // the sinks are in memory or digests: they do not fail
            throw new UncheckedIOException(e);
        }
    }

    private static void write(JsonNode node, Writer out) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
                members.sort((a, b) -> compareCodePoints(a.getKey(), b.getKey()));
                out.write('{');
                for (int i = 0; i < members.size(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    writeString(members.get(i).getKey(), out);
                    out.write(':');
                    write(members.get(i).getValue(), out);
                }
                out.write('}');
            }
            case ARRAY -> {
                out.write('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    write(node.get(i), out);
                }
                out.write(']');
            }
            case STRING -> writeString(node.textValue(), out);
            case NUMBER -> out.write(formatNumber(node));
            case BOOLEAN -> out.write(node.booleanValue() ? "true" : "false");
            case NULL -> out.write("null");
            default ->
                    throw new IllegalArgumentException(
                            "no canonical form for a JSON node of type " + node.getNodeType());
        }
    }

    private static String formatNumber(JsonNode number) {
        if (number.isIntegralNumber()) {
            return number.bigIntegerValue().toString();
        }
        return formatDouble(number.doubleValue());
    }

    /** Orders strings by Unicode code point (Python's {@code str} order, UTF-8 byte order). */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static void writeString(String s, Writer out) throws IOException {
        out.write('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.write("\\\"");
                case '\\' -> out.write("\\\\");
                case '\b' -> out.write("\\b");
                case '\f' -> out.write("\\f");
                case '\n' -> out.write("\\n");
                case '\r' -> out.write("\\r");
                case '\t' -> out.write("\\t");
                default -> {
                    if (c < 0x20 || isUnpairedSurrogate(s, i)) {
                        out.write(String.format("\\u%04x", (int) c));
                    } else {
                        out.write(c);
                    }
                }
            }
        }
        out.write('"');
    }

    private static boolean isUnpairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }

    /** Python's {@code repr(float)}, see the class comment. */
    static String formatDouble(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        String sign = Double.doubleToRawLongBits(value) < 0 ? "-" : "";
        if (value == 0) {
            return sign + "0.0";
        }
        BigDecimal shortest = shortestDecimal(Math.abs(value)).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        // value = 0.<digits> × 10^point, as in Python's dtoa
        int point = digits.length() - shortest.scale();
        if (point <= -4 || point > 16) {
            int exponent = point - 1;
            String mantissa =
                    digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String exponentSign = exponent < 0 ? "-" : "+";
            return sign
                    + mantissa
                    + "e"
                    + exponentSign
                    + (Math.abs(exponent) < 10 ? "0" : "")
                    + Math.abs(exponent);
        }
        if (point <= 0) {
            return sign + "0." + "0".repeat(-point) + digits;
        }
        if (point >= digits.length()) {
            return sign + digits + "0".repeat(point - digits.length()) + ".0";
        }
        return sign + digits.substring(0, point) + "." + digits.substring(point);
    }

    /**
     * The shortest decimal that reads back as {@code value} (positive, finite); of two such
     * decimals of the same length, the one closer to {@code value}, the even one on a tie. Any
     * decimal of {@code p} digits that reads back as {@code value} is one of the two {@code
     * p}-digit decimals enclosing it, so it is enough to try those for increasing {@code p}; 17
     * digits always do.
     */
    private static BigDecimal shortestDecimal(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal below = exact.round(new MathContext(precision, RoundingMode.FLOOR));
            BigDecimal above = exact.round(new MathContext(precision, RoundingMode.CEILING));
            boolean belowReads = below.doubleValue() == value;
            boolean aboveReads = above.doubleValue() == value;
            if (belowReads && aboveReads) {
                int closer = exact.subtract(below).compareTo(above.subtract(exact));
                if (closer != 0) {
                    return closer < 0 ? below : above;
                }
                return below.unscaledValue().testBit(0) ? above : below;
            }
            if (belowReads) {
                return below;
            }
            if (aboveReads) {
                return above;
            }
        }
        throw new AssertionError("17 significant digits always identify a double: " + value);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
