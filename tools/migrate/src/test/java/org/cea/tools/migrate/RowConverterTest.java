package org.cea.tools.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RowConverterTest {
    private static LegacyRow row(Object ts, Object canId, Object dlc, Object raw, Object json, Object created) {
        return new LegacyRow(7, ts, canId, 1L, "PT100", dlc, raw, json, created);
    }

    @Test
    void convertsAWellFormedRow() {
        MessageRecord m = assertInstanceOf(MessageRecord.class, RowConverter.convert(
                row(1734001123.123456, 0x101L, 8L, "33 09 1C 07 00 00 00 11", "{\"seq\":17, \"temp_dry_c\":23.55}",
                        "2024-12-12 10:58:43")));
        assertEquals(1_734_001_123_123_456L, m.timestampMicros());
        assertEquals(0x101, m.canId());
        assertEquals("{\"seq\": 17, \"temp_dry_c\": 23.55}", m.canonicalJson());
        assertEquals(1_734_001_123_000_000L, m.createdAtMicros());
    }

    @Test
    void quarantinesRowsThatDoNotFitAndSaysWhy() {
        assertReason(row(null, 1L, 8L, "00", null, null), "timestamp is NULL");
        assertReason(row(Double.POSITIVE_INFINITY, 1L, 8L, "00", null, null), "timestamp must be finite");
        assertReason(row("yesterday", 1L, 8L, "00", null, null), "timestamp is TEXT 'yesterday'");
        assertReason(row(1.0, null, 8L, "00", null, null), "can_id is NULL");
        assertReason(row(1.0, 1L, null, "00", null, null), "dlc is NULL");
        assertReason(row(1.0, 1L, 8L, null, null, null), "raw_data is NULL");
        assertReason(row(1.0, 1L, 8L, "00", "{'a': 1}", null), "decoded_data is not valid JSON");
        assertReason(row(1.0, 1L, 8L, "00", null, "garbage"), "created_at: not a SQLite date-time");
        assertReason(row(1.0, 1L, 8L, "a\0b", null, null), "raw_data contains a NUL");
        assertReason(row(1.0, 1L << 40, 8L, "00", null, null), "can_id must be 0..536870911");
    }

    private static void assertReason(LegacyRow r, String expected) {
        QuarantinedRow q = assertInstanceOf(QuarantinedRow.class, RowConverter.convert(r));
        assertTrue(q.reason().contains(expected), q.reason());
    }
}
