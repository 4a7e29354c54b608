package org.cea.redisio;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cea.candecode.CanFrame;
import org.cea.candecode.Hex;

/**
 * The {@code can:raw} entry contract (DESIGN.md, "Stream can:raw"): {@code id} ("0x123", extended
 * ids as 8 hex digits), {@code data} ("AA FF 04 10"), {@code ts} (Unix ms), {@code dlc}. Two
 * additive fields keep what the contract would lose: {@code ts_us} (Unix microseconds) and
 * {@code flags} (any of {@code R} remote, {@code E} error, {@code F} CAN FD; absent when none).
 * Readers ignore fields they do not know.
 */
public final class StreamSchema {
    /** The raw frame stream. */
    public static final String STREAM = "can:raw";
    /** Dead letters: entries that could not be processed, with the reason. */
    public static final String DEAD_LETTERS = "can:dead";
    /** Field names. */
    public static final String F_ID = "id";
    /** Payload field. */
    public static final String F_DATA = "data";
    /** Unix milliseconds field. */
    public static final String F_TS = "ts";
    /** Data length code field. */
    public static final String F_DLC = "dlc";
    /** Additive: Unix microseconds. */
    public static final String F_TS_US = "ts_us";
    /** Additive: frame flags. */
    public static final String F_FLAGS = "flags";
    /** Letters of the {@code flags} value: remote (RTR), error frame, CAN FD. */
    private static final char FLAG_REMOTE = 'R';
    private static final char FLAG_ERROR = 'E';
    private static final char FLAG_FD = 'F';

    private StreamSchema() {
    }

    /** Entry fields for a frame, in contract order. */
    public static Map<String, String> toFields(CanFrame f) {
        Map<String, String> m = new LinkedHashMap<>(8);
        m.put(F_ID, f.idHex());
        m.put(F_DATA, f.dataHex());
        m.put(F_TS, Long.toString(f.timestampMillis()));
        m.put(F_DLC, Integer.toString(f.dlc()));
        m.put(F_TS_US, Long.toString(f.timestampMicros()));
        String flags = flags(f);
        if (!flags.isEmpty()) {
            m.put(F_FLAGS, flags);
        }
        return m;
    }

    /**
     * The {@code flags} value of a frame: {@code R} remote, {@code E} error, {@code F} CAN FD, in
     * that order; empty when none (the field is then absent). The spool writes the same letters.
     */
    public static String flags(CanFrame f) {
        if (!(f.rtr() || f.error() || f.fd())) {
            return "";
        }
        StringBuilder sb = new StringBuilder(3);
        if (f.rtr()) {
            sb.append(FLAG_REMOTE);
        }
        if (f.error()) {
            sb.append(FLAG_ERROR);
        }
        if (f.fd()) {
            sb.append(FLAG_FD);
        }
        return sb.toString();
    }

    /**
     * A frame from the values of an entry (or a spool line) with the {@code flags} letters decoded
     * (unknown letters are ignored, as readers ignore unknown fields).
     *
     * @param flags the flags value, empty for none
     * @throws IllegalArgumentException from {@link CanFrame}: id, dlc or data out of range
     */
    static CanFrame frame(int id, boolean extended, String flags, int dlc, byte[] data, long micros) {
        return new CanFrame(id, extended, flags.indexOf(FLAG_REMOTE) >= 0, flags.indexOf(FLAG_ERROR) >= 0,
                flags.indexOf(FLAG_FD) >= 0, 0, dlc, data, micros);
    }

    /**
     * Parses an entry back into a frame.
     *
     * @param entryId the stream entry id, used in error messages
     * @throws MalformedEntryException naming the entry and the field
     */
    public static CanFrame fromFields(String entryId, Map<String, String> fields) {
        String idText = required(entryId, fields, F_ID);
        if (!(idText.startsWith("0x") || idText.startsWith("0X")) || idText.length() < 3 || idText.length() > 10) {
            throw new MalformedEntryException(entryId, F_ID, "expected 0x followed by 1..8 hex digits, was \"" + idText + "\"");
        }
        long id;
        try {
            id = Long.parseLong(idText.substring(2), 16);
        } catch (NumberFormatException e) {
            throw new MalformedEntryException(entryId, F_ID, "not hex: \"" + idText + "\"");
        }
        String flags = fields.getOrDefault(F_FLAGS, "");
        boolean extended = idText.length() == 10 || id > CanFrame.MAX_STANDARD_ID;
        byte[] data;
        try {
            data = Hex.parseSpaced(required(entryId, fields, F_DATA));
        } catch (IllegalArgumentException e) {
            throw new MalformedEntryException(entryId, F_DATA, e.getMessage());
        }
        long micros = timestampMicros(entryId, fields);
        int dlc = parseInt(entryId, fields, F_DLC);
        try {
            return frame((int) id, extended, flags, dlc, data, micros);
        } catch (IllegalArgumentException e) {
            throw new MalformedEntryException(entryId, e.getMessage().startsWith("id") ? F_ID : F_DLC, e.getMessage());
        }
    }

    private static long timestampMicros(String entryId, Map<String, String> fields) {
        String us = fields.get(F_TS_US);
        if (us != null) {
            try {
                return Long.parseLong(us);
            } catch (NumberFormatException e) {
                throw new MalformedEntryException(entryId, F_TS_US, "not an integer: \"" + us + "\"");
            }
        }
        String ms = required(entryId, fields, F_TS);
        try {
            long v = Long.parseLong(ms);
            if (v < 0) {
                throw new MalformedEntryException(entryId, F_TS, "must be >= 0, was " + v);
            }
            return Math.multiplyExact(v, 1000L);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new MalformedEntryException(entryId, F_TS, "not a Unix millisecond time: \"" + ms + "\"");
        }
    }

    private static int parseInt(String entryId, Map<String, String> fields, String field) {
        String v = required(entryId, fields, field);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new MalformedEntryException(entryId, field, "not an integer: \"" + v + "\"");
        }
    }

    private static String required(String entryId, Map<String, String> fields, String field) {
        String v = fields.get(field);
        if (v == null) {
            throw new MalformedEntryException(entryId, field, "missing");
        }
        return v;
    }
}
