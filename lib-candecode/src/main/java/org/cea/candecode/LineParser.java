package org.cea.candecode;

/**
 * The candump line parser behind {@link Candump#parseLine} and {@link CandumpReader}. One instance
 * per reader: it remembers the last interface name so a log of one bus allocates that string once
 * (the decode benchmark, scripts/bench-decode.sh, parses millions of lines through here).
 */
final class LineParser {
    private static final int MAX_SECONDS_DIGITS = 12;

    private String iface = "";
    private String lineIface = "";
    private String line;
    private long lineNumber;
    private int pos;
    private int end;

    /** Interface name of the last line parsed successfully. */
    String iface() {
        return iface;
    }

    CanFrame parse(String text, long number) {
        this.line = text;
        this.lineNumber = number;
        this.pos = 0;
        this.end = trimmedEnd(text);
        long ts = parseTimestamp();
        expect(' ', "a space after the timestamp");
        parseInterface();
        CanFrame frame = parseFrame(ts);
        iface = lineIface;
        return frame;
    }

    private static int trimmedEnd(String s) {
        int e = s.length();
        while (e > 0 && (s.charAt(e - 1) == '\r' || s.charAt(e - 1) == '\n' || s.charAt(e - 1) == ' ')) {
            e--;
        }
        // candump -x appends a direction marker: " R" (received) or " T" (transmitted).
        if (e >= 2 && s.charAt(e - 2) == ' ' && (s.charAt(e - 1) == 'R' || s.charAt(e - 1) == 'T')) {
            e -= 2;
        }
        return e;
    }

    private long parseTimestamp() {
        expect('(', "'(' opening the timestamp");
        long seconds = 0;
        int start = pos;
        while (pos < end && isDigit(line.charAt(pos))) {
            seconds = seconds * 10 + (line.charAt(pos++) - '0');
        }
        if (pos == start || pos - start > MAX_SECONDS_DIGITS) {
            throw fail("1.." + MAX_SECONDS_DIGITS + " digits of seconds in the timestamp");
        }
        expect('.', "'.' in the timestamp (seconds.microseconds)");
        long micros = 0;
        int fracStart = pos;
        while (pos < end && isDigit(line.charAt(pos))) {
            micros = micros * 10 + (line.charAt(pos++) - '0');
        }
        int fracDigits = pos - fracStart;
        if (fracDigits < 1 || fracDigits > 6) {
            throw fail("1..6 decimals in the timestamp, found " + fracDigits);
        }
        for (int i = fracDigits; i < 6; i++) {
            micros *= 10;
        }
        expect(')', "')' closing the timestamp");
        return seconds * 1_000_000 + micros;
    }

    private void parseInterface() {
        int start = pos;
        while (pos < end && line.charAt(pos) != ' ') {
            pos++;
        }
        if (pos == start) {
            throw fail("an interface name such as can0");
        }
        lineIface = iface;
        if (!line.regionMatches(start, iface, 0, iface.length()) || iface.length() != pos - start) {
            lineIface = line.substring(start, pos);
        }
        expect(' ', "a space after the interface name");
    }

    private CanFrame parseFrame(long ts) {
        int start = pos;
        long idValue = 0;
        while (pos < end && line.charAt(pos) != '#') {
            int d = hexDigit(line.charAt(pos));
            if (d < 0) {
                throw fail("a hex digit in the CAN id");
            }
            idValue = idValue << 4 | d;
            pos++;
        }
        int digits = pos - start;
        expect('#', "'#' after the CAN id");
        if (digits == 3) {
            if (idValue > CanFrame.MAX_STANDARD_ID) {
                throw failAt(start, "a standard id 000..7FF, found " + line.substring(start, start + 3));
            }
            return parsePayload((int) idValue, false, false, ts);
        }
        if (digits != 8) {
            throw failAt(start, "a CAN id of 3 (standard) or 8 (extended) hex digits, found " + digits + " digits");
        }
        if ((idValue & ~(long) (CanFrame.MAX_EXTENDED_ID | Candump.CAN_ERR_FLAG)) != 0) {
            throw failAt(start, "an extended id 00000000..1FFFFFFF or an error frame 2xxxxxxx, found "
                    + line.substring(start, start + 8));
        }
        boolean error = (idValue & Candump.CAN_ERR_FLAG) != 0;
        return parsePayload((int) (idValue & CanFrame.MAX_EXTENDED_ID), !error, error, ts);
    }

    private CanFrame parsePayload(int id, boolean extended, boolean error, long ts) {
        if (pos < end && line.charAt(pos) == 'R') {
            pos++;
            int dlc = 0;
            if (pos < end) {
                dlc = hexDigit(line.charAt(pos++));
                if (dlc < 0 || dlc > 8) {
                    throw failAt(pos - 1, "a remote frame length digit 0..8");
                }
            }
            checkEnd();
            return new CanFrame(id, extended, true, error, false, 0, dlc, null, ts);
        }
        boolean fd = false;
        int flags = 0;
        if (pos < end && line.charAt(pos) == '#') {
            pos++;
            flags = pos < end ? hexDigit(line.charAt(pos)) : -1;
            if (flags < 0) {
                throw fail("a CAN FD flags hex digit after '##'");
            }
            pos++;
            fd = true;
        }
        byte[] data = parseData(fd);
        return new CanFrame(id, extended, false, error, fd, flags, data.length, data, ts);
    }

    private byte[] parseData(boolean fd) {
        int remaining = end - pos;
        if ((remaining & 1) != 0) {
            throw fail("pairs of hex digits for the data bytes (odd number of digits, or an unexpected character)");
        }
        int n = remaining / 2;
        if (fd ? !CanFrame.isValidFdLength(n) : n > 8) {
            throw fail(fd ? "a CAN FD payload of 0..8,12,16,20,24,32,48 or 64 bytes, found " + n
                    : "at most 8 data bytes for a classic frame, found " + n);
        }
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            int hi = hexDigit(line.charAt(pos));
            int lo = hexDigit(line.charAt(pos + 1));
            if (hi < 0 || lo < 0) {
                throw failAt(hi < 0 ? pos : pos + 1, "a hex digit in the data");
            }
            data[i] = (byte) (hi << 4 | lo);
            pos += 2;
        }
        return data;
    }

    private void checkEnd() {
        if (pos != end) {
            throw fail("end of line");
        }
    }

    private void expect(char c, String what) {
        if (pos >= end || line.charAt(pos) != c) {
            throw fail(what);
        }
        pos++;
    }

    private CandumpFormatException fail(String expected) {
        return failAt(pos, expected);
    }

    private CandumpFormatException failAt(int at, String expected) {
        String found = at < end ? "'" + line.charAt(at) + "'" : "end of line";
        return new CandumpFormatException(lineNumber, "column " + (at + 1) + ": expected " + expected
                + " (found " + found + ") in \"" + abbreviate(line) + "\"");
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }
}
