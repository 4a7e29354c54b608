package org.cea.candecode;

/** Hex forms used by the stream, the tables and candump logs. */
public final class Hex {
    private static final char[] DIGITS = "0123456789ABCDEF".toCharArray();

    private Hex() {
    }

    /** {@code "0x123"} for a standard id (3 digits), {@code "0x00000123"} for an extended id (8 digits). */
    public static String formatId(int id, boolean extended) {
        return "0x" + padded(id, extended ? 8 : 3);
    }

    /** Upper-case hex, left-padded with zeros to {@code width} digits. */
    public static String padded(long value, int width) {
        char[] out = new char[width];
        for (int i = width - 1; i >= 0; i--) {
            out[i] = DIGITS[(int) (value & 0xF)];
            value >>>= 4;
        }
        return new String(out);
    }

    /** Upper-case hex pairs separated by single spaces; empty string for no bytes. */
    public static String spaced(byte[] bytes) {
        if (bytes.length == 0) {
            return "";
        }
        char[] out = new char[bytes.length * 3 - 1];
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            int p = i * 3;
            out[p] = DIGITS[b >>> 4];
            out[p + 1] = DIGITS[b & 0xF];
            if (p + 2 < out.length) {
                out[p + 2] = ' ';
            }
        }
        return new String(out);
    }

    /** Upper-case hex pairs with no separator (candump form). */
    public static String compact(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            out[2 * i] = DIGITS[b >>> 4];
            out[2 * i + 1] = DIGITS[b & 0xF];
        }
        return new String(out);
    }

    /**
     * Parses {@code "AA FF 04 10"} (spaces optional between pairs, either case).
     *
     * @throws IllegalArgumentException naming the offending position
     */
    public static byte[] parseSpaced(String s) {
        String t = s.trim();
        if (t.isEmpty()) {
            return new byte[0];
        }
        byte[] tmp = new byte[t.length() / 2 + 1];
        int n = 0;
        int i = 0;
        while (i < t.length()) {
            char c = t.charAt(i);
            if (c == ' ') {
                i++;
                continue;
            }
            if (i + 1 >= t.length()) {
                throw new IllegalArgumentException("odd number of hex digits at position " + i + " in \"" + s + "\"");
            }
            tmp[n++] = (byte) (digit(t.charAt(i), i, s) << 4 | digit(t.charAt(i + 1), i + 1, s));
            i += 2;
        }
        byte[] out = new byte[n];
        System.arraycopy(tmp, 0, out, 0, n);
        return out;
    }

    /** Value of one hex digit. */
    static int digit(char c, int pos, String context) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        throw new IllegalArgumentException("'" + c + "' at position " + pos + " is not a hex digit in \"" + context + "\"");
    }
}
