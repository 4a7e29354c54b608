package org.cea.candecode;

/** Minimal JSON writing for the hot path ({@code decoded_data}); reading uses Gson. */
public final class Json {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Json() {
    }

    /** Appends a JSON string literal with the required escapes. */
    public static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append("\\u00").append(DIGITS[c >>> 4]).append(DIGITS[c & 0xF]);
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    /** Appends a JSON number: integers as integers, doubles in Java's shortest form, NaN/infinite as null. */
    public static void appendNumber(StringBuilder sb, Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                sb.append("null");
            } else {
                sb.append(d);
            }
        } else if (n == null) {
            sb.append("null");
        } else {
            sb.append(n.toString());
        }
    }
}
