package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RowValidationTest {

    @Test
    void readingRejectsNaNNamingSensorAndTime() {
        BadDataException e = assertThrows(BadDataException.class, () -> new ReadingRow(1_000_000L, "co2_b", Double.NaN));
        assertEquals("reading co2_b at 1000000 us: value must be finite, was NaN", e.getMessage());
    }

    @Test
    void readingRejectsInfinityNullAndEmptyNames() {
        assertThrows(BadDataException.class, () -> new ReadingRow(0, "co2_b", Double.POSITIVE_INFINITY));
        assertEquals("reading at 5 us: sensor name must not be null",
                assertThrows(BadDataException.class, () -> new ReadingRow(5, null, 1.0)).getMessage());
        assertEquals("reading at 5 us: sensor name must not be empty",
                assertThrows(BadDataException.class, () -> new ReadingRow(5, "", 1.0)).getMessage());
        assertThrows(BadDataException.class, () -> new ReadingRow(5, "co2\u0000b", 1.0));
        assertThrows(BadDataException.class, () -> new ReadingRow(-1, "co2_b", 1.0));
        assertThrows(BadDataException.class, () -> new ReadingRow(5, "x".repeat(65), 1.0));
    }

    @Test
    void messageRejectsInvalidJsonWithOffset() {
        BadDataException e = assertThrows(BadDataException.class, () -> new MessageRow("1-0", 7, 0x101, false, 1,
                "PT100", 8, "12 0A A5 07 00 00 00 00", "{\"temp_dry_c\": 23.55,}"));
        assertEquals("message source 1-0 can_id 0x101 at 7 us: decodedJson is not a valid JSON object: "
                + "expected a member name string at offset 21, found '}'", e.getMessage());
    }

    @Test
    void messageChecksTheTwentyNineBitIdRange() {
        MessageRow ext = new MessageRow(null, 0, 0x1FFFFFFF, true, null, null, 0, "", null);
        assertTrue(ext.extended());
        assertEquals("message can_id 0x20000000 at 0 us: canId must be 0..0x1FFFFFFF, was 536870912",
                assertThrows(BadDataException.class,
                        () -> new MessageRow(null, 0, 0x20000000, true, null, null, 0, "", null)).getMessage());
        assertThrows(BadDataException.class, () -> new MessageRow(null, 0, -1, false, null, null, 0, "", null));
    }

    @Test
    void messageChecksRawDataShape() {
        assertThrows(BadDataException.class, () -> new MessageRow(null, 0, 1, false, null, null, 2, "12 0", null));
        assertThrows(BadDataException.class, () -> new MessageRow(null, 0, 1, false, null, null, 2, "12  0A", null));
        assertThrows(BadDataException.class, () -> new MessageRow(null, 0, 1, false, null, null, 2, "12-0A", null));
        assertThrows(BadDataException.class, () -> new MessageRow(null, 0, 1, false, null, null, 2, null, null));
        assertEquals("12 0A", new MessageRow(null, 0, 1, false, null, null, 2, "12 0A", null).rawData());
    }

    @Test
    void messageRejectsNegativeDlcAndNodeAndControlCharacters() {
        assertThrows(BadDataException.class, () -> new MessageRow(null, 0, 1, false, null, null, -1, "", null));
        assertThrows(BadDataException.class, () -> new MessageRow(null, 0, 1, false, -2, null, 0, "", null));
        assertThrows(BadDataException.class, () -> new MessageRow("a\nb", 0, 1, false, null, null, 0, "", null));
        assertThrows(BadDataException.class, () -> new MessageRow("", 0, 1, false, null, null, 0, "", null));
    }

    @Test
    void jsonSyntaxAcceptsRfc8259Objects() {
        assertNull(JsonSyntax.objectProblem("{}"));
        assertNull(JsonSyntax.objectProblem(" {\"a\":1,\"b\":-0.5e-3,\"c\":[true,false,null],\"d\":{\"e\":\"\\u00e9\\n\"}} "));
        assertNull(JsonSyntax.objectProblem("{\"temp_dry_c\":23.55,\"temp_wet_c\":18.2,\"status\":0,\"seq\":17}"));
    }

    @Test
    void jsonSyntaxRejectsWhatPostgresRejects() {
        assertEquals("expected '{' at offset 0", JsonSyntax.objectProblem("[1]"));
        assertTrue(JsonSyntax.objectProblem("{\"a\":01}").contains("offset 6"));
        assertTrue(JsonSyntax.objectProblem("{\"a\":NaN}").contains("a JSON value at offset 5"));
        assertTrue(JsonSyntax.objectProblem("{\"a\":1} x").contains("offset 8"));
        assertTrue(JsonSyntax.objectProblem("{\"a\":\"\\u0000\"}").contains("\\u0000"));
        assertTrue(JsonSyntax.objectProblem("{\"a\":\"tab\there\"}").contains("control character"));
        assertTrue(JsonSyntax.objectProblem("{'a':1}").contains("member name"));
        assertTrue(JsonSyntax.objectProblem("{\"a\":1.}").contains("digits after '.'"));
        assertTrue(JsonSyntax.objectProblem("{\"a\"").contains("':'"));
        assertTrue(JsonSyntax.objectProblem("{\"a\":tru}").contains("'true'"));
        assertTrue(JsonSyntax.objectProblem("{\"a\":[1 2]}").contains("',' or ']'"));
        assertTrue(JsonSyntax.objectProblem("{\"a\":\"x").contains("closing"));
    }

    @Test
    void messageQueryValidatesLimit() {
        assertThrows(BadDataException.class, () -> MessageQuery.latest(0));
        assertThrows(BadDataException.class, () -> MessageQuery.latest(MessageQuery.MAX_LIMIT + 1));
        MessageQuery q = MessageQuery.latest(5).withType("PT100").withNode(2).withCanId(0x201).withAfterId(9L);
        assertEquals(new MessageQuery(5, "PT100", 2, 0x201, 9L), q);
    }
}
