package org.cea.tools.scanner;

/**
 * Hand-written encoder for the facility protocol (DESIGN.md, "The facility's CAN protocol"):
 * standard ids {@code node << 8 | type}, DLC 8, little-endian signals, byte 7 the rolling
 * sequence counter. Deliberately independent of the DBC decoder so each checks the other.
 */
public final class FrameEncoder {
    /** PT100 wet/dry bulb message type. */
    public static final int PT100 = 0x01;
    /** Barometer message type. */
    public static final int BARO = 0x02;
    /** SCD30 CO2 / temperature / humidity message type. */
    public static final int SCD30 = 0x03;
    /** Water temperature and level message type. */
    public static final int WATER = 0x04;
    /** Lab temperature / humidity message type. */
    public static final int LAB = 0x05;
    /** Heartbeat message type. */
    public static final int HEARTBEAT = 0x0F;

    private FrameEncoder() {
    }

    /** The CAN id of a node's message: {@code node << 8 | type}; node 1..7, type 0..255. */
    public static int canId(int node, int type) {
        if (node < 1 || node > 7) {
            throw new IllegalArgumentException("node must be 1..7, was " + node);
        }
        if (type < 0 || type > 0xFF) {
            throw new IllegalArgumentException("type must be 0..255, was " + type);
        }
        return node << 8 | type;
    }

    /**
     * PT100: dry and wet bulb in °C (0.01 °C, signed), status bits (bit 0 dry fault, bit 1 wet fault).
     *
     * @param seq rolling counter, only the low 8 bits are sent
     */
    public static byte[] pt100(double dryC, double wetC, int status, int seq) {
        byte[] b = new byte[8];
        putS16(b, 0, dryC, 0.01);
        putS16(b, 2, wetC, 0.01);
        b[4] = (byte) status;
        b[7] = (byte) seq;
        return b;
    }

    /** BARO: pressure in hPa (0.1 hPa, unsigned) and temperature in °C (0.01 °C, signed). */
    public static byte[] baro(double pressureHpa, double tempC, int seq) {
        byte[] b = new byte[8];
        putU16(b, 0, pressureHpa, 0.1);
        putS16(b, 2, tempC, 0.01);
        b[7] = (byte) seq;
        return b;
    }

    /** SCD30: CO2 in ppm (1 ppm), temperature in °C (0.01), relative humidity in % (0.01). */
    public static byte[] scd30(double co2Ppm, double tempC, double rhPct, int seq) {
        byte[] b = new byte[8];
        putU16(b, 0, co2Ppm, 1);
        putS16(b, 2, tempC, 0.01);
        putU16(b, 4, rhPct, 0.01);
        b[7] = (byte) seq;
        return b;
    }

    /** WATER: water temperature in °C (0.01, signed) and level in % (0.5 %, one byte). */
    public static byte[] water(double tempC, double levelPct, int seq) {
        byte[] b = new byte[8];
        putS16(b, 0, tempC, 0.01);
        b[2] = (byte) clamp(Math.round(levelPct / 0.5), 0, 255);
        b[7] = (byte) seq;
        return b;
    }

    /** LAB: temperature in °C (0.01, signed) and relative humidity in % (0.01). */
    public static byte[] lab(double tempC, double rhPct, int seq) {
        byte[] b = new byte[8];
        putS16(b, 0, tempC, 0.01);
        putU16(b, 2, rhPct, 0.01);
        b[7] = (byte) seq;
        return b;
    }

    /** HEARTBEAT: uptime in seconds (32 bits), firmware version, error flags. */
    public static byte[] heartbeat(long uptimeS, int fwMajor, int fwMinor, int errorFlags, int seq) {
        byte[] b = new byte[8];
        long u = clamp(uptimeS, 0, 0xFFFFFFFFL);
        b[0] = (byte) u;
        b[1] = (byte) (u >>> 8);
        b[2] = (byte) (u >>> 16);
        b[3] = (byte) (u >>> 24);
        b[4] = (byte) fwMajor;
        b[5] = (byte) fwMinor;
        b[6] = (byte) errorFlags;
        b[7] = (byte) seq;
        return b;
    }

    private static void putS16(byte[] b, int off, double value, double factor) {
        long raw = clamp(Math.round(value / factor), Short.MIN_VALUE, Short.MAX_VALUE);
        b[off] = (byte) raw;
        b[off + 1] = (byte) (raw >>> 8);
    }

    private static void putU16(byte[] b, int off, double value, double factor) {
        long raw = clamp(Math.round(value / factor), 0, 0xFFFF);
        b[off] = (byte) raw;
        b[off + 1] = (byte) (raw >>> 8);
    }

    private static long clamp(long v, long min, long max) {
        return Math.max(min, Math.min(max, v));
    }
}
