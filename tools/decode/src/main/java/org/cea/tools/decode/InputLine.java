package org.cea.tools.decode;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cea.candecode.Hex;

/**
 * One input line recognised in any of the three candump shapes cantools reads: the log format
 * {@code (1594172461.968006) vcan0 0C8#F000}, the default {@code vcan0  0C8   [2]  F0 00} and the
 * absolute-time {@code (2020-12-19 12:04:45.485261)  vcan0  0C8   [2]  F0 00}.
 *
 * @param id          arbitration id
 * @param extended    written with more than 3 hex digits
 * @param remote      remote frame ({@code #R})
 * @param data        payload bytes (may be longer than a CAN frame allows: decoding reports it)
 * @param timestamp   the log timestamp text in seconds, or null for the other shapes
 */
record InputLine(int id, boolean extended, boolean remote, byte[] data, String timestamp) {
    private static final Pattern LOG = Pattern.compile(
            "^\\s*\\((\\d+\\.\\d+)\\)\\s+([A-Za-z0-9_.-]+)\\s+([0-9A-Fa-f]+)#(R\\d?|#[0-9A-Fa-f][0-9A-Fa-f]*|[0-9A-Fa-f]*)(\\s+[RT])?\\s*$");
    private static final Pattern DEFAULT = Pattern.compile(
            "^\\s*(?:\\((.+?)\\)\\s+)?([A-Za-z0-9_.-]+)\\s+([0-9A-Fa-f]+)\\s+\\[(\\d+)\\]\\s*((?:[0-9A-Fa-f]{2}\\s*)*|remote request)\\s*$");
    private static final int CAN_ERR_FLAG = 0x20000000;

    /** The recognised line, or null when it is not a frame line (cantools prints such lines unchanged). */
    static InputLine parse(String line) {
        Matcher m = LOG.matcher(line);
        if (m.matches()) {
            return fromLog(m);
        }
        m = DEFAULT.matcher(line);
        if (m.matches()) {
            boolean remote = m.group(5).startsWith("remote");
            byte[] data = remote ? new byte[0] : Hex.parseSpaced(m.group(5));
            return of(m.group(3), remote, data, null);
        }
        return null;
    }

    private static InputLine fromLog(Matcher m) {
        String payload = m.group(4);
        if (payload.startsWith("R")) {
            return of(m.group(3), true, new byte[0], m.group(1));
        }
        String hex = payload.startsWith("#") ? payload.substring(2) : payload;
        if (hex.length() % 2 != 0) {
            return null;
        }
        return of(m.group(3), false, Hex.parseSpaced(hex), m.group(1));
    }

    private static InputLine of(String idHex, boolean remote, byte[] data, String timestamp) {
        if (idHex.length() > 8) {
            return null;
        }
        long id = Long.parseLong(idHex, 16);
        if ((id & CAN_ERR_FLAG) != 0 && idHex.length() == 8) {
            return null;
        }
        return new InputLine((int) (id & 0x1FFFFFFF), idHex.length() > 3, remote, data, timestamp);
    }

    /** The timestamp in microseconds (0 without a log timestamp). */
    long timestampMicros() {
        if (timestamp == null) {
            return 0;
        }
        int dot = timestamp.indexOf('.');
        String frac = (timestamp.substring(dot + 1) + "000000").substring(0, 6);
        return Long.parseLong(timestamp.substring(0, dot)) * 1_000_000 + Long.parseLong(frac);
    }
}
