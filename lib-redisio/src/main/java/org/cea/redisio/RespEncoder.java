package org.cea.redisio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.cea.candecode.CanFrame;

/**
 * Encodes RESP commands into one reusable, growable byte buffer: the {@code can:raw} XADD of a
 * {@link FrameEntry} (the hot path, {@link #xadd}), the XLEN that ends a batch, and any command of
 * byte arrays (connection setup). The entry's fields are those of {@link StreamSchema#toFields},
 * written straight from the frame's numbers. The buffer and the XADD encoding stay in one class,
 * as they were inside {@link RespStreamWriter} before the split (issue 16): the hot path touches
 * only this object's fields. Measured after the split, alternating with the old build on the same
 * private redis-server (can-scanner replaying 2 M frames at --speed max, {@code /usr/bin/time}):
 * 3.40 vs 3.38 CPU-seconds, mean of 3 each; scripts/bench-scanner.sh ratio 0.97 and 0.98 vs 0.53
 * and 0.58 for the old build run between them (a busy host; 1.01 and 0.79 before). Not thread-safe.
 */
final class RespEncoder {
    private static final byte[] XADD = ascii("XADD");
    private static final byte[] XLEN = ascii("XLEN");
    private static final byte[] MAXLEN = ascii("MAXLEN");
    private static final byte[] APPROX = ascii("~");
    // Field names as whole bulk strings ("$2\r\nid\r\n"): copied, not re-encoded, for every entry.
    private static final byte[] F_ID = bulkBytes(StreamSchema.F_ID);
    private static final byte[] F_DATA = bulkBytes(StreamSchema.F_DATA);
    private static final byte[] F_TS = bulkBytes(StreamSchema.F_TS);
    private static final byte[] F_DLC = bulkBytes(StreamSchema.F_DLC);
    private static final byte[] F_TS_US = bulkBytes(StreamSchema.F_TS_US);
    private static final byte[] F_FLAGS = bulkBytes(StreamSchema.F_FLAGS);
    /** Arguments of an XADD without / with the flags field. */
    private static final int XADD_ARGS = 16;
    private static final int XADD_ARGS_FLAGS = 18;
    private static final byte[] HEX = ascii("0123456789ABCDEF");
    /** The two upper-case hex digits of every byte value: HEX_PAIRS[2 * b], HEX_PAIRS[2 * b + 1]. */
    private static final byte[] HEX_PAIRS = hexPairs();

    private final byte[] key;
    /** {@code *16 XADD key MAXLEN ~ cap} encoded once: the part of every entry that never changes. */
    private final byte[] xaddPrefix;
    /** The same with the {@code *18} header, for entries with a flags field. */
    private final byte[] xaddPrefixFlags;
    private final byte[] digits = new byte[20];
    private byte[] buf = new byte[64 * 1024];
    private int pos;
    /** The millisecond part of the last entry id encoded, and its digits. */
    private long idMs = -1;
    private final byte[] idMsDigits = new byte[20];
    private int idMsLen;

    /**
     * @param key    the stream key
     * @param maxLen the approximate cap of every XADD ({@code MAXLEN ~})
     */
    RespEncoder(byte[] key, long maxLen) {
        this.key = key.clone();
        byte[] cap = ascii(Long.toString(maxLen));
        this.xaddPrefix = commandPrefix(XADD_ARGS, cap);
        this.xaddPrefixFlags = commandPrefix(XADD_ARGS_FLAGS, cap);
    }

    private byte[] commandPrefix(int args, byte[] cap) {
        reset();
        arrayHeader(args);
        bulk(XADD);
        bulk(key);
        bulk(MAXLEN);
        bulk(APPROX);
        bulk(cap);
        byte[] prefix = Arrays.copyOf(buf, pos);
        reset();
        return prefix;
    }

    /** Empties the buffer (its capacity is kept). */
    void reset() {
        pos = 0;
    }

    /** Writes what was encoded since {@link #reset()} (not flushed). */
    void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, pos);
    }

    /** Appends a command of the given arguments. */
    void command(byte[]... args) {
        arrayHeader(args.length);
        for (byte[] a : args) {
            bulk(a);
        }
    }

    /** Appends {@code XLEN key}. */
    void xlen() {
        arrayHeader(2);
        bulk(XLEN);
        bulk(key);
    }

    /**
     * Appends one XADD. A measured hot path (scripts/bench-scanner.sh): the constant prefix and
     * field names are copied as pre-encoded bytes, lengths are known without counting.
     */
    void xadd(FrameEntry e) {
        CanFrame f = e.frame();
        boolean flags = f.rtr() || f.error() || f.fd();
        // prefix + id + 5 field names + values (data: up to 64 bytes as "XX " = 191 chars)
        ensure(xaddPrefixFlags.length + 512);
        raw(flags ? xaddPrefixFlags : xaddPrefix);
        bulkEntryId(e);
        raw(F_ID);
        bulkId(f.id(), f.extended());
        raw(F_DATA);
        bulkData(f);
        // ts is ts_us / 1000: the digits of ts_us are converted once and ts is their prefix
        int n = digitsOf(f.timestampMicros());
        raw(F_TS);
        bulkDigitsPrefix(n);
        raw(F_DLC);
        bulkSmall(f.dlc());
        raw(F_TS_US);
        bulkDigits(n);
        if (flags) {
            raw(F_FLAGS);
            bulkAscii(StreamSchema.flags(f));
        }
    }

    /** Copies pre-encoded protocol bytes (the caller has ensured room). */
    private void raw(byte[] b) {
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            byte[] bigger = new byte[Math.max(buf.length * 2, pos + n)];
            System.arraycopy(buf, 0, bigger, 0, pos);
            buf = bigger;
        }
    }

    private void arrayHeader(int n) {
        ensure(16);
        buf[pos++] = '*';
        putDigits(n);
        crlf();
    }

    private void lengthHeader(int n) {
        ensure(16 + n);
        buf[pos++] = '$';
        putDigits(n);
        crlf();
    }

    private void crlf() {
        buf[pos++] = '\r';
        buf[pos++] = '\n';
    }

    private void bulk(byte[] b) {
        lengthHeader(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
        crlf();
    }

    private void bulkAscii(String s) {
        int n = s.length();
        lengthHeader(n);
        for (int i = 0; i < n; i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
        crlf();
    }

    /** The entry id: as given when it was given as text, else {@code <ms>-<seq>} from the numbers. */
    private void bulkEntryId(FrameEntry e) {
        String given = e.givenId();
        if (given != null) {
            bulkAscii(given);
            return;
        }
        long ms = e.millis();
        long seq = e.seq();
        if (ms != idMs) {
            // hundreds of entries share a millisecond at full speed: convert its digits once
            idMs = ms;
            idMsLen = decimalLength(ms);
            long t = ms;
            for (int i = idMsLen - 1; i >= 0; i--, t /= 10) {
                idMsDigits[i] = (byte) ('0' + t % 10);
            }
        }
        int ns = decimalLength(seq);
        lengthHeader(idMsLen + 1 + ns);
        System.arraycopy(idMsDigits, 0, buf, pos, idMsLen);
        pos += idMsLen;
        buf[pos++] = '-';
        putLong(seq, ns);
        crlf();
    }

    private static int decimalLength(long v) {
        int n = 1;
        for (long t = v; t >= 10; t /= 10) {
            n++;
        }
        return n;
    }

    /** Writes the {@code n} decimal digits of {@code v} (&gt;= 0) at {@link #pos}. */
    private void putLong(long v, int n) {
        long t = v;
        for (int i = pos + n - 1; i >= pos; i--, t /= 10) {
            buf[i] = (byte) ('0' + t % 10);
        }
        pos += n;
    }

    /** The last {@code n} digits written by {@link #digitsOf} as a bulk string. */
    private void bulkDigits(int n) {
        lengthHeader(n);
        System.arraycopy(digits, digits.length - n, buf, pos, n);
        pos += n;
        crlf();
    }

    /**
     * The value of the last {@code n} digits from {@link #digitsOf} divided by 1000, as a bulk
     * string: those digits without their last three, or 0.
     */
    private void bulkDigitsPrefix(int n) {
        if (n <= 3) {
            lengthHeader(1);
            buf[pos++] = '0';
        } else {
            lengthHeader(n - 3);
            System.arraycopy(digits, digits.length - n, buf, pos, n - 3);
            pos += n - 3;
        }
        crlf();
    }

    /** A small non-negative count as a bulk string, leaving {@link #digits} alone. */
    private void bulkSmall(int v) {
        int n = v < 10 ? 1 : v < 100 ? 2 : decimalLength(v);
        lengthHeader(n);
        putDigits(v);
        crlf();
    }

    /** {@code 0x123} or {@code 0x00000123}, as {@link org.cea.candecode.Hex#formatId}. */
    private void bulkId(int id, boolean extended) {
        int width = extended ? 8 : 3;
        lengthHeader(2 + width);
        buf[pos++] = '0';
        buf[pos++] = 'x';
        for (int i = width - 1; i >= 0; i--) {
            buf[pos++] = HEX[(id >>> (4 * i)) & 0xF];
        }
        crlf();
    }

    /** Upper-case hex pairs separated by single spaces, as {@link org.cea.candecode.Hex#spaced}. */
    private void bulkData(CanFrame f) {
        int n = f.length();
        int len = n == 0 ? 0 : n * 3 - 1;
        lengthHeader(len);
        for (int i = 0; i < n; i++) {
            int b = f.byteAt(i);
            if (i > 0) {
                buf[pos++] = ' ';
            }
            buf[pos++] = HEX_PAIRS[2 * b];
            buf[pos++] = HEX_PAIRS[2 * b + 1];
        }
        crlf();
    }

    /** Writes a small non-negative count in place (headers), leaving {@link #digits} alone. */
    private void putDigits(int v) {
        if (v < 10) {
            buf[pos++] = (byte) ('0' + v);
            return;
        }
        if (v < 100) {
            buf[pos++] = (byte) ('0' + v / 10);
            buf[pos++] = (byte) ('0' + v % 10);
            return;
        }
        int n = 1;
        for (int t = v; t >= 10; t /= 10) {
            n++;
        }
        for (int i = pos + n - 1, t = v; i >= pos; i--, t /= 10) {
            buf[i] = (byte) ('0' + t % 10);
        }
        pos += n;
    }

    /** Writes the decimal digits of {@code v} (&gt;= 0) at the end of {@link #digits}; returns the count. */
    private int digitsOf(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative value " + v);
        }
        int i = digits.length;
        do {
            digits[--i] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        return digits.length - i;
    }

    private static byte[] hexPairs() {
        byte[] t = new byte[512];
        for (int b = 0; b < 256; b++) {
            t[2 * b] = HEX[b >>> 4];
            t[2 * b + 1] = HEX[b & 0xF];
        }
        return t;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code s} as a complete RESP bulk string. */
    private static byte[] bulkBytes(String s) {
        return ascii("$" + s.length() + "\r\n" + s + "\r\n");
    }
}
