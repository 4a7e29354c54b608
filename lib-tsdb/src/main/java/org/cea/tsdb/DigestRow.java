package org.cea.tsdb;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.Objects;

/**
 * One {@code can_messages} row in the canonical form both paths are compared in: the reception
 * time in whole microseconds since the Unix epoch (SQLite's REAL seconds rounded to the nearest
 * microsecond, PostgreSQL's TIMESTAMPTZ as stored), the CAN id, the DLC and {@code raw_data} as
 * text. Its canonical text is {@code <µs>|<can_id>|<dlc>|<raw_data>} (decimal integers, raw_data
 * as stored, UTF-8); its hash is the first 8 bytes of the MD5 of that text as a big-endian signed
 * 64-bit integer, which PostgreSQL computes in SQL for its side ({@link #SQL_HASH}).
 *
 * @param timestampMicros reception time, Unix microseconds
 * @param canId           CAN id as stored
 * @param dlc             data length code as stored
 * @param rawData         payload text as stored ({@code "12 0A A5 07 00 00 00 00"})
 */
public record DigestRow(long timestampMicros, int canId, int dlc, String rawData) implements Comparable<DigestRow> {
    /** Canonical order: time, then DLC, then raw_data by UTF-16 code unit (only ASCII is expected). */
    public static final Comparator<DigestRow> ORDER = Comparator.comparingLong(DigestRow::timestampMicros)
            .thenComparingInt(DigestRow::canId).thenComparingInt(DigestRow::dlc).thenComparing(DigestRow::rawData);

    /**
     * The same hash in PostgreSQL, for a row whose microseconds are column {@code us}: md5 of the
     * canonical text (the database's encoding must be UTF8), first 16 hex digits as bigint.
     */
    static final String SQL_HASH = "('x' || substr(md5(us::text || '|' || can_id || '|' || dlc || '|' || raw_data),"
            + " 1, 16))::bit(64)::bigint";

    /** Checks raw_data. */
    public DigestRow {
        Objects.requireNonNull(rawData, "rawData");
    }

    /** {@code <µs>|<can_id>|<dlc>|<raw_data>}. */
    public String canonicalText() {
        return timestampMicros + "|" + canId + "|" + dlc + "|" + rawData;
    }

    /** The row's 64-bit hash (see the class comment). */
    public long hash() {
        return new Hasher().hash(timestampMicros, canId, dlc, rawData.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int compareTo(DigestRow o) {
        return ORDER.compare(this, o);
    }

    /**
     * The hash of many rows without allocating per row: one per thread (not thread-safe).
     */
    static final class Hasher {
        private final MessageDigest md5;
        private final byte[] buf = new byte[64];
        private final byte[] out = new byte[16];

        Hasher() {
            try {
                md5 = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no MD5 (required by the Java SE specification)", e);
            }
        }

        /** {@link DigestRow#hash()} of these values; {@code rawUtf8} is raw_data's UTF-8 bytes. */
        long hash(long micros, int canId, int dlc, byte[] rawUtf8) {
            int n = put(micros, 0);
            buf[n++] = '|';
            n = put(canId, n);
            buf[n++] = '|';
            n = put(dlc, n);
            buf[n++] = '|';
            md5.update(buf, 0, n);
            md5.update(rawUtf8);
            try {
                md5.digest(out, 0, 16);
            } catch (DigestException e) {
                throw new IllegalStateException("MD5 digest into a 16-byte buffer failed", e);
            }
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (out[i] & 0xFF);
            }
            return h;
        }

        /** Writes {@code v} in decimal at {@code at}; returns the index after it. */
        private int put(long v, int at) {
            if (v == Long.MIN_VALUE) {
                byte[] s = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(s, 0, buf, at, s.length);
                return at + s.length;
            }
            int i = at;
            if (v < 0) {
                buf[i++] = '-';
                v = -v;
            }
            int start = i;
            do {
                buf[i++] = (byte) ('0' + v % 10);
                v /= 10;
            } while (v != 0);
            for (int a = start, b = i - 1; a < b; a++, b--) {
                byte t = buf[a];
                buf[a] = buf[b];
                buf[b] = t;
            }
            return i;
        }
    }
}
