package org.cea.candecode;

import java.util.Arrays;

/**
 * One CAN frame as received. Identity is {@code (id, extended)}: standard {@code 0x123} and
 * extended {@code 0x00000123} are different frames.
 *
 * @param id              arbitration id: 0..0x7FF standard, 0..0x1FFFFFFF extended; for an error
 *                        frame the error class bits (0..0x1FFFFFFF)
 * @param extended        29-bit identifier
 * @param rtr             remote transmission request (no data bytes)
 * @param error           error frame (SocketCAN CAN_ERR_FLAG)
 * @param fd              CAN FD frame (data up to 64 bytes)
 * @param fdFlags         CAN FD flags nibble (bit 0 BRS, bit 1 ESI); 0 for classic frames
 * @param dlc             data length code: 0..8 for classic frames (an RTR frame has a DLC but
 *                        no data), the data length for FD frames
 * @param data            payload bytes, 0..8 (classic) or a valid FD length up to 64; copied
 * @param timestampMicros reception time, microseconds since the Unix epoch, &gt;= 0
 */
public record CanFrame(int id, boolean extended, boolean rtr, boolean error, boolean fd, int fdFlags,
                       int dlc, byte[] data, long timestampMicros) {

    /** Largest standard (11-bit) identifier. */
    public static final int MAX_STANDARD_ID = 0x7FF;
    /** Largest extended (29-bit) identifier. */
    public static final int MAX_EXTENDED_ID = 0x1FFFFFFF;
    private static final byte[] EMPTY = new byte[0];

    /** Validates every field; the message names the field and the allowed range. */
    public CanFrame {
        if (data == null) {
            data = EMPTY;
        }
        int maxId = extended || error ? MAX_EXTENDED_ID : MAX_STANDARD_ID;
        if (id < 0 || id > maxId) {
            throw new IllegalArgumentException("id must be 0.." + Integer.toHexString(maxId).toUpperCase()
                    + (extended ? " (extended)" : " (standard)") + ", was 0x" + Integer.toHexString(id).toUpperCase());
        }
        if (timestampMicros < 0) {
            throw new IllegalArgumentException("timestampMicros must be >= 0, was " + timestampMicros);
        }
        if (fd) {
            if (rtr) {
                throw new IllegalArgumentException("a CAN FD frame cannot be a remote frame");
            }
            if (!isValidFdLength(data.length)) {
                throw new IllegalArgumentException("CAN FD data length must be 0..8,12,16,20,24,32,48,64, was " + data.length);
            }
            if (dlc != data.length) {
                throw new IllegalArgumentException("dlc must equal the data length " + data.length + " for CAN FD, was " + dlc);
            }
            if (fdFlags < 0 || fdFlags > 0xF) {
                throw new IllegalArgumentException("fdFlags must be 0..15, was " + fdFlags);
            }
        } else {
            if (fdFlags != 0) {
                throw new IllegalArgumentException("fdFlags must be 0 for a classic frame, was " + fdFlags);
            }
            if (dlc < 0 || dlc > 8) {
                throw new IllegalArgumentException("dlc must be 0..8, was " + dlc);
            }
            if (rtr && data.length != 0) {
                throw new IllegalArgumentException("a remote frame carries no data, had " + data.length + " bytes");
            }
            if (!rtr && data.length != dlc) {
                throw new IllegalArgumentException("data length must equal dlc " + dlc + ", was " + data.length);
            }
        }
        data = data.length == 0 ? EMPTY : data.clone();
    }

    /** A classic data frame with a standard or extended id; {@code dlc} is the data length. */
    public static CanFrame data(int id, boolean extended, byte[] data, long timestampMicros) {
        return new CanFrame(id, extended, false, false, false, 0, data.length, data, timestampMicros);
    }

    /** A classic data frame with an 11-bit id. */
    public static CanFrame standard(int id, byte[] data, long timestampMicros) {
        return data(id, false, data, timestampMicros);
    }

    /** A remote (RTR) frame requesting {@code dlc} bytes. */
    public static CanFrame remote(int id, boolean extended, int dlc, long timestampMicros) {
        return new CanFrame(id, extended, true, false, false, 0, dlc, EMPTY, timestampMicros);
    }

    /** True for 0..8, 12, 16, 20, 24, 32, 48, 64. */
    public static boolean isValidFdLength(int n) {
        return (n >= 0 && n <= 8) || n == 12 || n == 16 || n == 20 || n == 24 || n == 32 || n == 48 || n == 64;
    }

    /** The payload (a copy). */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Number of data bytes. */
    public int length() {
        return data.length;
    }

    /** One data byte, 0..255, without copying the payload. */
    public int byteAt(int index) {
        return data[index] & 0xFF;
    }

    /** Timestamp in Unix milliseconds (truncated). */
    public long timestampMillis() {
        return Math.floorDiv(timestampMicros, 1000);
    }

    /** The id as the stream writes it: {@code "0x123"}, or 8 hex digits for an extended id. */
    public String idHex() {
        return Hex.formatId(id, extended);
    }

    /** Payload as upper-case hex pairs separated by spaces ({@code "AA FF 04 10"}). */
    public String dataHex() {
        return Hex.spaced(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CanFrame f && id == f.id && extended == f.extended && rtr == f.rtr && error == f.error
                && fd == f.fd && fdFlags == f.fdFlags && dlc == f.dlc && timestampMicros == f.timestampMicros
                && Arrays.equals(data, f.data);
    }

    @Override
    public int hashCode() {
        return (Integer.hashCode(id) * 31 + Boolean.hashCode(extended)) * 31 + Arrays.hashCode(data)
                + Long.hashCode(timestampMicros);
    }

    @Override
    public String toString() {
        return "CanFrame[" + idHex() + (rtr ? " RTR" : "") + (error ? " ERR" : "") + (fd ? " FD" : "")
                + " dlc=" + dlc + " data=" + dataHex() + " ts=" + timestampMicros + "us]";
    }
}
