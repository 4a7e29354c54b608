package org.cea.candecode.dbc;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code SG_} signal. Immutable. Extraction works on a frame packed into two 64-bit words
 * (see {@link #extract(long, long)}) so the decoder reads each frame's bytes once.
 */
public final class DbcSignal {
    /** Byte order: {@code @1} Intel (little-endian) or {@code @0} Motorola (big-endian). */
    public enum ByteOrder { LITTLE_ENDIAN, BIG_ENDIAN }

    /** Value type: plain integer, or IEEE float32/float64 via {@code SIG_VALTYPE_ 1/2}. */
    public enum ValueType { INTEGER, FLOAT32, FLOAT64 }

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private final String name;
    private final int startBit;
    private final int length;
    private final ByteOrder byteOrder;
    private final boolean signed;
    private final ValueType valueType;
    private final double factor;
    private final double offset;
    private final boolean integerScaling;
    /** 10^d where d = decimals of factor/offset (&lt;= 9), or 0 when results are not rounded. */
    private final double decimalScale;
    private final double minimum;
    private final double maximum;
    private final String unit;
    private final List<String> receivers;
    private final boolean multiplexer;
    private final Integer multiplexerValue;
    private final Map<Long, String> choices;
    private final String comment;
    private final int shift;
    private final long mask;
    private final int bytesNeeded;

    /**
     * @param name             signal name, non-empty
     * @param startBit         DBC start bit 0..511: LSB for Intel, MSB (sawtooth numbering) for Motorola
     * @param length           bits, 1..64 (32 for float32, 64 for float64)
     * @param byteOrder        Intel or Motorola
     * @param signed           two's complement, sign-extended from {@code length} bits
     * @param valueType        integer or IEEE float
     * @param factor           physical = raw * factor + offset
     * @param offset           physical offset
     * @param integerScaling   factor and offset are written as integers in the DBC: integer signals
     *                         decode to {@link Long}
     * @param minimum          documented minimum (not enforced by decoding)
     * @param maximum          documented maximum (not enforced by decoding)
     * @param unit             unit text, may be empty
     * @param receivers        receiving nodes
     * @param multiplexer      this is the multiplexer switch ({@code M})
     * @param multiplexerValue the switch value selecting this signal ({@code mN}), or null
     * @param choices          VAL_ descriptions by raw value
     * @param comment          CM_ text, or null
     * @throws IllegalArgumentException naming the field and the allowed range
     */
    public DbcSignal(String name, int startBit, int length, ByteOrder byteOrder, boolean signed, ValueType valueType,
                     double factor, double offset, boolean integerScaling, double minimum, double maximum,
                     String unit, List<String> receivers, boolean multiplexer, Integer multiplexerValue,
                     Map<Long, String> choices, String comment) {
        check(name, startBit, length, byteOrder, valueType);
        this.name = name;
        this.startBit = startBit;
        this.length = length;
        this.byteOrder = byteOrder;
        this.signed = signed;
        this.valueType = valueType;
        this.factor = factor;
        this.offset = offset;
        this.integerScaling = integerScaling && valueType == ValueType.INTEGER;
        this.decimalScale = decimalScale(factor, offset);
        this.minimum = minimum;
        this.maximum = maximum;
        this.unit = unit == null ? "" : unit;
        this.receivers = List.copyOf(receivers);
        this.multiplexer = multiplexer;
        this.multiplexerValue = multiplexerValue;
        this.choices = Map.copyOf(choices);
        this.comment = comment;
        this.mask = length == 64 ? -1L : (1L << length) - 1;
        int lastBit = lsbPosition();
        this.shift = byteOrder == ByteOrder.LITTLE_ENDIAN ? startBit : 63 - lastBit;
        this.bytesNeeded = (byteOrder == ByteOrder.LITTLE_ENDIAN ? startBit + length - 1 : lastBit) / 8 + 1;
    }

    /** The constructor's validation: each failure names the signal, the field and the allowed range. */
    private static void check(String name, int startBit, int length, ByteOrder byteOrder, ValueType valueType) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("signal name must be non-empty");
        }
        if (startBit < 0 || startBit > 511) {
            throw new IllegalArgumentException("signal " + name + ": start bit must be 0..511, was " + startBit);
        }
        if (length < 1 || length > 64) {
            throw new IllegalArgumentException("signal " + name + ": length must be 1..64 bits, was " + length);
        }
        Objects.requireNonNull(byteOrder, "byteOrder");
        Objects.requireNonNull(valueType, "valueType");
        if (valueType == ValueType.FLOAT32 && length != 32 || valueType == ValueType.FLOAT64 && length != 64) {
            throw new IllegalArgumentException("signal " + name + ": a " + valueType + " signal must be "
                    + (valueType == ValueType.FLOAT32 ? 32 : 64) + " bits long, was " + length);
        }
    }

    /** Position of the MSB counted from the first bit on the wire (byte 0 bit 7 = 0), Motorola only. */
    private int msbPosition() {
        return (startBit / 8) * 8 + (7 - startBit % 8);
    }

    /** For Motorola: position of the LSB counted like {@link #msbPosition()}; for Intel: the last bit used. */
    private int lsbPosition() {
        return byteOrder == ByteOrder.BIG_ENDIAN ? msbPosition() + length - 1 : startBit + length - 1;
    }

    /** Number of payload bytes the signal reaches into (it fits a payload of at least this many bytes). */
    public int bytesNeeded() {
        return bytesNeeded;
    }

    /** True when the signal lies completely within a payload of {@code bytes} bytes. */
    public boolean fits(int bytes) {
        return bytesNeeded <= bytes;
    }

    /**
     * The raw value from a payload of at most 8 bytes packed as
     * {@code le = data[0] | data[1] << 8 | ...} and {@code be = data[0] << 56 | data[1] << 48 | ...}
     * (missing bytes zero). Signed signals are sign-extended; unsigned 64-bit values come back as
     * their bit pattern.
     */
    public long extract(long le, long be) {
        long raw = ((byteOrder == ByteOrder.LITTLE_ENDIAN ? le : be) >>> shift) & mask;
        return signExtend(raw);
    }

    /**
     * The raw value from a payload of any length (CAN FD); see {@link #extract(long, long)}.
     *
     * @throws IllegalArgumentException if the signal does not fit in the payload
     */
    public long rawValue(byte[] data) {
        if (!fits(data.length)) {
            throw new IllegalArgumentException("signal " + name + " needs " + bytesNeeded + " bytes, payload has " + data.length);
        }
        if (data.length <= 8) {
            return extract(packLittleEndian(data, data.length), packBigEndian(data, data.length));
        }
        long raw = 0;
        if (byteOrder == ByteOrder.LITTLE_ENDIAN) {
            for (int i = length - 1; i >= 0; i--) {
                int bit = startBit + i;
                raw = raw << 1 | ((data[bit / 8] >>> (bit % 8)) & 1);
            }
        } else {
            int msb = msbPosition();
            for (int i = 0; i < length; i++) {
                int pos = msb + i;
                raw = raw << 1 | ((data[pos / 8] >>> (7 - pos % 8)) & 1);
            }
        }
        return signExtend(raw);
    }

    private long signExtend(long raw) {
        if (signed && length < 64) {
            int s = 64 - length;
            return (raw << s) >> s;
        }
        return raw;
    }

    /**
     * Physical value of a raw value: {@link Long} for integer signals with integer scaling (or
     * {@link BigInteger} for unsigned 64-bit values above {@link Long#MAX_VALUE}), otherwise
     * {@link Double} ({@code raw * factor + offset}, floats first reinterpreted from their bits).
     */
    public Number physical(long raw) {
        switch (valueType) {
            case FLOAT32:
                return Float.intBitsToFloat((int) raw) * factor + offset;
            case FLOAT64:
                return Double.longBitsToDouble(raw) * factor + offset;
            default:
                break;
        }
        boolean unsignedHigh = !signed && length == 64 && raw < 0;
        if (integerScaling) {
            if (!unsignedHigh) {
                return raw * (long) factor + (long) offset;
            }
            return BigInteger.valueOf(raw).add(TWO_64).multiply(BigInteger.valueOf((long) factor))
                    .add(BigInteger.valueOf((long) offset));
        }
        double r = unsignedHigh ? BigInteger.valueOf(raw).add(TWO_64).doubleValue() : (double) raw;
        return roundToScale(r * factor + offset);
    }

    /**
     * Rounds an integer signal's physical value to the decimals its factor and offset can express, so
     * 2508 * 0.01 is stored as 25.08 rather than the binary artefact 25.080000000000002 (decoded_data
     * is read by people and by Grafana). Values too large to scale exactly are returned unchanged.
     */
    private double roundToScale(double v) {
        if (decimalScale == 0 || Math.abs(v) * decimalScale >= 0x1p52) {
            return v;
        }
        return Math.rint(v * decimalScale) / decimalScale;
    }

    private static double decimalScale(double factor, double offset) {
        int d = Math.max(decimals(factor), decimals(offset));
        return d < 0 || d > 9 ? 0 : Math.pow(10, d);
    }

    private static int decimals(double x) {
        if (!Double.isFinite(x)) {
            return -1;
        }
        return Math.max(0, new java.math.BigDecimal(Double.toString(x)).stripTrailingZeros().scale());
    }

    /** Packs up to 8 bytes little-endian (byte 0 lowest). */
    public static long packLittleEndian(byte[] data, int n) {
        long w = 0;
        for (int i = Math.min(n, 8) - 1; i >= 0; i--) {
            w = w << 8 | (data[i] & 0xFF);
        }
        return w;
    }

    /** Packs up to 8 bytes big-endian, left-aligned (byte 0 in bits 63..56). */
    public static long packBigEndian(byte[] data, int n) {
        long w = 0;
        int m = Math.min(n, 8);
        for (int i = 0; i < m; i++) {
            w = w << 8 | (data[i] & 0xFF);
        }
        return m == 0 ? 0 : w << (8 * (8 - m));
    }

    /** Signal name. */
    public String name() {
        return name;
    }

    /** DBC start bit (Intel: LSB; Motorola: MSB, sawtooth numbering). */
    public int startBit() {
        return startBit;
    }

    /** Length in bits, 1..64. */
    public int length() {
        return length;
    }

    /** Byte order. */
    public ByteOrder byteOrder() {
        return byteOrder;
    }

    /** Two's complement. */
    public boolean signed() {
        return signed;
    }

    /** Integer, float32 or float64. */
    public ValueType valueType() {
        return valueType;
    }

    /** Scale factor. */
    public double factor() {
        return factor;
    }

    /** Offset added after scaling. */
    public double offset() {
        return offset;
    }

    /** True when decoded values are integers ({@link Long}). */
    public boolean integerValued() {
        return integerScaling;
    }

    /** Documented minimum physical value (not enforced). */
    public double minimum() {
        return minimum;
    }

    /** Documented maximum physical value (not enforced). */
    public double maximum() {
        return maximum;
    }

    /** Unit text, empty when none. */
    public String unit() {
        return unit;
    }

    /** Receiving nodes. */
    public List<String> receivers() {
        return receivers;
    }

    /** True for the multiplexer switch signal ({@code M}). */
    public boolean isMultiplexer() {
        return multiplexer;
    }

    /** Switch value selecting this signal ({@code mN}), or null when always present. */
    public Integer multiplexerValue() {
        return multiplexerValue;
    }

    /** VAL_ descriptions by raw value (empty when none). */
    public Map<Long, String> choices() {
        return choices;
    }

    /** The description of a raw value, or null. */
    public String choice(long raw) {
        return choices.isEmpty() ? null : choices.get(raw);
    }

    /** CM_ comment, or null. */
    public String comment() {
        return comment;
    }

    @Override
    public String toString() {
        return "DbcSignal[" + name + " " + startBit + "|" + length + "@" + (byteOrder == ByteOrder.LITTLE_ENDIAN ? 1 : 0)
                + (signed ? "-" : "+") + " (" + factor + "," + offset + ") \"" + unit + "\"]";
    }
}
