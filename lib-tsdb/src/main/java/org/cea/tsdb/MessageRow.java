package org.cea.tsdb;

import org.cea.candecode.CanFrame;
import org.cea.candecode.DecodeResult;
import org.cea.candecode.DecodedMessage;
import org.cea.candecode.WrongLength;

/**
 * One {@code can_messages} row to write.
 *
 * @param sourceId        stream entry id ({@code "1734001123123-0"}) making the write idempotent, or
 *                        null for a plain insert (legacy direct writes); 1..64 characters, no control characters
 * @param timestampMicros reception time, microseconds since the Unix epoch, 0..253402300799999999 (years 1970..9999)
 * @param canId           arbitration id: 0..0x7FF standard, 0..0x1FFFFFFF extended (and error frames)
 * @param extended        29-bit identifier (standard {@code 0x123} and extended {@code 0x00000123} differ)
 * @param nodeId          facility node, or null; &gt;= 0
 * @param messageType     message name, or null for an unknown frame; at most 64 characters
 * @param dlc             data length code, 0..64
 * @param rawData         payload as hex pairs separated by single spaces ({@code "12 0A A5 07"}), at most 64 pairs
 * @param decodedJson     signal values as a JSON object ({@code {"temp_dry_c":23.55}}), or null
 */
public record MessageRow(String sourceId, long timestampMicros, int canId, boolean extended, Integer nodeId,
                         String messageType, int dlc, String rawData, String decodedJson) {
    /** Longest accepted source id or message type, in characters. */
    public static final int MAX_NAME_LENGTH = 64;
    /** Largest arbitration id (29 bits). */
    public static final int MAX_ID = 0x1FFFFFFF;

    /**
     * Validates every field.
     *
     * @throws BadDataException naming the row (source id or timestamp and CAN id), the field, the value and the limit
     */
    public MessageRow {
        checkName(sourceId, canId, timestampMicros, "sourceId", sourceId);
        checkName(sourceId, canId, timestampMicros, "messageType", messageType);
        if (timestampMicros < 0 || timestampMicros > Times.MAX_MICROS) {
            throw bad(sourceId, canId, timestampMicros, "timestampMicros must be 0.." + Times.MAX_MICROS
                    + " (1970..9999), was " + timestampMicros);
        }
        if (canId < 0 || canId > MAX_ID) {
            // not checked against 0x7FF for standard frames: error frames carry 29 bits of error class
            throw bad(sourceId, canId, timestampMicros, "canId must be 0..0x1FFFFFFF, was " + canId);
        }
        if (nodeId != null && nodeId < 0) {
            throw bad(sourceId, canId, timestampMicros, "nodeId must be >= 0, was " + nodeId);
        }
        if (dlc < 0 || dlc > 64) {
            throw bad(sourceId, canId, timestampMicros, "dlc must be 0..64, was " + dlc);
        }
        String hexProblem = hexProblem(rawData);
        if (hexProblem != null) {
            throw bad(sourceId, canId, timestampMicros, "rawData " + hexProblem);
        }
        if (decodedJson != null) {
            String jsonProblem = JsonSyntax.objectProblem(decodedJson);
            if (jsonProblem != null) {
                throw bad(sourceId, canId, timestampMicros, "decodedJson is not a valid JSON object: " + jsonProblem);
            }
        }
    }

    /**
     * The row for one decoder result: a decoded message with its type, node and signals as JSON; a
     * frame of a known id with the wrong length with its type and node but no JSON; an unknown
     * frame with neither. Raw data, DLC, id, extended flag and timestamp come from the frame.
     *
     * @param result   what the decoder made of the frame
     * @param sourceId stream entry id, or null for a plain insert
     * @return the row
     * @throws BadDataException when a field is out of range (see the constructor)
     */
    public static MessageRow from(DecodeResult result, String sourceId) {
        CanFrame f = result.frame();
        String type = null;
        Integer node = null;
        String json = null;
        if (result instanceof DecodedMessage d) {
            type = d.messageType();
            node = d.nodeId();
            json = d.toJson();
        } else if (result instanceof WrongLength w) {
            type = w.messageType();
            node = w.nodeId();
        }
        return new MessageRow(sourceId, f.timestampMicros(), f.id(), f.extended(), node, type, f.dlc(), f.dataHex(), json);
    }

    private static BadDataException bad(String sourceId, int canId, long ts, String problem) {
        return new BadDataException("message " + (sourceId != null ? "source " + sourceId + " " : "")
                + "can_id 0x" + Integer.toHexString(canId).toUpperCase() + " at " + ts + " us: " + problem);
    }

    private static void checkName(String sourceId, int canId, long ts, String field, String value) {
        if (value == null) {
            return;
        }
        if (value.isEmpty() || value.length() > MAX_NAME_LENGTH) {
            throw bad(field.equals("sourceId") ? null : sourceId, canId, ts, field + " must be 1.." + MAX_NAME_LENGTH
                    + " characters or null, was " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw bad(field.equals("sourceId") ? null : sourceId, canId, ts, field
                        + " must not contain control characters, had U+" + String.format("%04X", (int) value.charAt(i))
                        + " at index " + i);
            }
        }
    }

    /** Null when {@code s} is "" or hex pairs separated by single spaces, else what is wrong. */
    private static String hexProblem(String s) {
        if (s == null) {
            return "must not be null";
        }
        if (s.isEmpty()) {
            return null;
        }
        if ((s.length() + 1) % 3 != 0 || (s.length() + 1) / 3 > 64) {
            return "must be up to 64 hex pairs separated by single spaces, had length " + s.length();
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = i % 3 == 2 ? c == ' ' : Character.digit(c, 16) >= 0 && c < 128;
            if (!ok) {
                return "must be hex pairs separated by single spaces, had '" + c + "' at index " + i;
            }
        }
        return null;
    }
}
