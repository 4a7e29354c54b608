package org.cea.tools.decode;

import java.math.BigDecimal;

/** Number formatting as Python's {@code repr} writes it, so output matches cantools. */
final class PyFormat {
    private static final int MIN_PLAIN_EXPONENT = -4;
    private static final int MAX_PLAIN_EXPONENT = 16;

    private PyFormat() {
    }

    /** {@code repr(float)}: {@code 2.0}, {@code 0.0001}, {@code 1e-05}, {@code 1e+16}, {@code nan}, {@code inf}. */
    static String repr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - bd.scale();
        String sign = d < 0 ? "-" : "";
        if (exponent >= MIN_PLAIN_EXPONENT && exponent < MAX_PLAIN_EXPONENT) {
            String plain = bd.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        int abs = Math.abs(exponent);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (abs < 10 ? "0" : "") + abs;
    }

    /** A decoded value: integers as integers, doubles as {@link #repr(double)}. */
    static String value(Number n) {
        if (n instanceof Double || n instanceof Float) {
            return repr(n.doubleValue());
        }
        return n.toString();
    }

    /** A JSON number: like {@link #value(Number)} but {@code null} for NaN and infinities. */
    static String json(Number n) {
        if ((n instanceof Double || n instanceof Float) && !Double.isFinite(n.doubleValue())) {
            return "null";
        }
        return value(n);
    }
}
