package org.cea.tsdb;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/** How PostgreSQL prints a {@code jsonb} value's parts: key order, numbers, strings ({@link JsonbText}). */
final class JsonbForms {
    /** numeric allows 131072 digits before and 16383 after the point; stay well inside both. */
    private static final int MAX_DIGITS_BEFORE_POINT = 100_000;
    private static final int MAX_SCALE = 16_383;

    /** jsonb's key order: UTF-8 byte length, then bytes (for ASCII keys the same as String order). */
    static final Comparator<String> KEY_ORDER = (a, b) -> {
        int la = utf8Length(a);
        int lb = utf8Length(b);
        if (la != lb) {
            return Integer.compare(la, lb);
        }
        if (la == a.length() && lb == b.length()) {
            return a.compareTo(b);
        }
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    };

    private JsonbForms() {
    }

    /**
     * Appends a syntactically valid JSON number as {@code numeric} prints it: a plain number as
     * written (no negative zero), an exponent expanded with its scale kept.
     *
     * @param text     the number's text
     * @param exponent whether it has an exponent part
     * @throws IllegalArgumentException when it is beyond {@code numeric}'s range
     */
    static void number(String text, boolean exponent, StringBuilder out) {
        if (!exponent) {
            int point = text.indexOf('.');
            int intDigits = point < 0 ? text.length() : point;
            int scale = point < 0 ? 0 : text.length() - point - 1;
            if (scale > MAX_SCALE || intDigits > MAX_DIGITS_BEFORE_POINT) {
                throw new IllegalArgumentException("number beyond PostgreSQL numeric range");
            }
            out.append(text.charAt(0) == '-' && isZero(text) ? text.substring(1) : text);
            return;
        }
        BigDecimal d;
        try {
            d = new BigDecimal(text);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("number out of range", e);
        }
        int scale = Math.max(0, d.scale());
        long before = (long) d.precision() - d.scale();
        if (scale > MAX_SCALE || before > MAX_DIGITS_BEFORE_POINT) {
            throw new IllegalArgumentException("number beyond PostgreSQL numeric range");
        }
        out.append(d.setScale(scale).toPlainString());
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    private static boolean isZero(String number) {
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c >= '1' && c <= '9') {
                return false;
            }
        }
        return true;
    }

    /** Appends {@code s} quoted as jsonb prints a string. */
    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}
