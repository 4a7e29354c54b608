package org.cea.candecode;

/**
 * The {@code candump -l} log line: {@code (1734001123.123456) can0 123#AABBCCDD}.
 *
 * <p>Ids are 3 hex digits (standard) or 8 hex digits (extended; an 8-digit id with the SocketCAN
 * error flag {@code 0x20000000} is an error frame). {@code 123#R} and {@code 123#R4} are remote
 * frames, {@code 123##1AABB} is a CAN FD frame whose first digit after {@code ##} is the flags
 * nibble. A trailing direction marker ({@code " R"} / {@code " T"}, written by {@code candump -x})
 * is accepted and not kept. Formatting writes the canonical form, so a well-formed line
 * (upper-case hex, 6 decimals) survives a parse/format round trip byte for byte.
 */
public final class Candump {
    /** SocketCAN {@code CAN_ERR_FLAG}: set on the id of an error frame in candump output. */
    public static final int CAN_ERR_FLAG = 0x20000000;
    private static final char[] DIGITS = "0123456789ABCDEF".toCharArray();

    private Candump() {
    }

    /**
     * Parses one log line.
     *
     * @param line       the line without its line terminator (a trailing CR is ignored)
     * @param lineNumber 1-based line number, used in error messages
     * @return the frame, timestamp in microseconds since the Unix epoch
     * @throws CandumpFormatException naming the line number, the column and what was expected
     */
    public static CanFrame parseLine(String line, long lineNumber) {
        return new LineParser().parse(line, lineNumber);
    }

    /**
     * Formats a frame as a {@code candump -l} line (no line terminator).
     *
     * @param frame the frame
     * @param iface interface name, e.g. {@code can0}; must be non-empty and contain no whitespace
     * @return {@code (seconds.micros) iface id#data}
     * @throws IllegalArgumentException if the interface name is empty or contains whitespace
     */
    public static String formatLine(CanFrame frame, String iface) {
        if (iface == null || iface.isEmpty() || iface.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("iface must be a non-empty name without whitespace, was \"" + iface + "\"");
        }
        StringBuilder sb = new StringBuilder(40 + iface.length() + frame.length() * 2);
        long ts = frame.timestampMicros();
        sb.append('(').append(ts / 1_000_000).append('.');
        appendPadded(sb, ts % 1_000_000);
        sb.append(") ").append(iface).append(' ');
        if (frame.error()) {
            appendHex(sb, frame.id() | CAN_ERR_FLAG, 8);
        } else {
            appendHex(sb, frame.id(), frame.extended() ? 8 : 3);
        }
        sb.append('#');
        if (frame.rtr()) {
            sb.append('R');
            if (frame.dlc() > 0) {
                sb.append(DIGITS[frame.dlc()]);
            }
            return sb.toString();
        }
        if (frame.fd()) {
            sb.append('#').append(DIGITS[frame.fdFlags()]);
        }
        for (int i = 0; i < frame.length(); i++) {
            int b = frame.byteAt(i);
            sb.append(DIGITS[b >>> 4]).append(DIGITS[b & 0xF]);
        }
        return sb.toString();
    }

    private static void appendPadded(StringBuilder sb, long micros) {
        for (long div = 100_000; div > 0; div /= 10) {
            sb.append((char) ('0' + (micros / div) % 10));
        }
    }

    private static void appendHex(StringBuilder sb, int value, int width) {
        for (int shift = (width - 1) * 4; shift >= 0; shift -= 4) {
            sb.append(DIGITS[(value >>> shift) & 0xF]);
        }
    }
}
