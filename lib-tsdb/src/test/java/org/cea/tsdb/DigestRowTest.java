package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The canonical text and hash; expected hashes from coreutils: {@code printf '%s' TEXT | md5sum | cut -c1-16}. */
class DigestRowTest {
    static final DigestRow A = new DigestRow(1_734_001_123_123_456L, 0x101, 8, "12 0A A5 07 00 00 00 11");
    static final DigestRow B = new DigestRow(1_734_001_123_123_457L, 0x101, 8, "12 0A A5 07 00 00 00 12");
    static final DigestRow C = new DigestRow(1_734_001_139_999_999L, 0x101, 2, "AA BB");
    static final DigestRow D = new DigestRow(1_734_001_140_000_000L, 0x101, 0, "");
    static final DigestRow E = new DigestRow(1_734_001_123_007_812L, 0x1ABCDEF, 8, "01 02 03 04 05 06 07 08");
    static final long HASH_A = 0x828b0ae32d401fb9L;
    static final long HASH_B = 0x1d2d310f91324f20L;
    static final long HASH_C = 0xa26b96e9da49f06aL;
    static final long HASH_D = 0xfd7e21fab199da33L;
    static final long HASH_E = 0x98d9c583c6838c9eL;
    /** (HASH_A + HASH_B + HASH_C) mod 2^64, worked out by hand (Python big integers). */
    static final long SUM_ABC = 0x4223d2dc98bc5f43L;

    @Test
    void canonicalTextIsMicrosCanIdDlcAndRawDataSeparatedByBars() {
        assertEquals("1734001123123456|257|8|12 0A A5 07 00 00 00 11", A.canonicalText());
        assertEquals("1734001140000000|257|0|", D.canonicalText());
        assertEquals("1734001123007812|28036591|8|01 02 03 04 05 06 07 08", E.canonicalText());
    }

    @Test
    void hashIsTheFirstEightBytesOfTheMd5OfTheCanonicalTextBigEndian() {
        assertEquals(HASH_A, A.hash());
        assertEquals(HASH_B, B.hash());
        assertEquals(HASH_C, C.hash());
        assertEquals(HASH_D, D.hash());
        assertEquals(HASH_E, E.hash());
        assertEquals(SUM_ABC, HASH_A + HASH_B + HASH_C);
    }

    @Test
    void theReusedHasherGivesTheSameHashesInAnyOrder() {
        DigestRow.Hasher h = new DigestRow.Hasher();
        for (DigestRow r : List.of(E, A, D, C, B, A)) {
            assertEquals(r.hash(), h.hash(r.timestampMicros(), r.canId(), r.dlc(),
                    r.rawData().getBytes(StandardCharsets.UTF_8)), r.toString());
        }
        // negative and extreme integers are written as Long.toString writes them
        DigestRow odd = new DigestRow(Long.MIN_VALUE, -1, -8, "é");
        assertEquals("-9223372036854775808|-1|-8|é", odd.canonicalText());
        assertEquals(0x797dbc91c2d3c97fL, odd.hash());
        assertEquals(0x797dbc91c2d3c97fL, h.hash(Long.MIN_VALUE, -1, -8, "é".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void ordersByTimeThenDlcThenRawData() {
        DigestRow sameTimeDlc7 = new DigestRow(A.timestampMicros(), 0x101, 7, "FF");
        DigestRow sameTimeRawLower = new DigestRow(A.timestampMicros(), 0x101, 8, "00");
        List<DigestRow> rows = new ArrayList<>(List.of(C, A, B, sameTimeRawLower, sameTimeDlc7));
        rows.sort(DigestRow.ORDER);
        assertEquals(List.of(sameTimeDlc7, sameTimeRawLower, A, B, C), rows);
        assertThrows(NullPointerException.class, () -> new DigestRow(0, 1, 0, null));
    }

    @Test
    void aMinuteDigestStartsOnAMinuteAndHoldsAtLeastOneRow() {
        assertEquals("minuteMicros must be a multiple of 60000000, was 1734001123123456",
                assertThrows(IllegalArgumentException.class, () -> new MinuteDigest(A.timestampMicros(), 1, 1, 0))
                        .getMessage());
        assertEquals("rows must be >= 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> new MinuteDigest(1_734_001_080_000_000L, 1, 0, 0))
                        .getMessage());
    }
}
