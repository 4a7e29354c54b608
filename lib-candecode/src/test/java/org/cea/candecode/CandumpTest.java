package org.cea.candecode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CandumpTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "(1734001123.123456) can0 123#AABBCCDD",
        "(1734001123.000001) can0 7FF#",
        "(0.000000) vcan0 000#0011223344556677",
        "(1734001123.123456) can1 00000123#DEADBEEF",
        "(1734001123.123456) can0 1FFFFFFF#01",
        "(1734001123.123456) can0 123#R",
        "(1734001123.123456) can0 123#R4",
        "(1734001123.123456) can0 12345678#R8",
        "(1734001123.123456) can0 123##1AABB",
        "(1734001123.123456) can0 123##0",
        "(1734001123.123456) can0 00000123##3000102030405060708090A0B",
        "(1734001123.123456) can0 20000080#0000000000000000",
        "(1734001123.999999) slcan0 20000004#0004000000000000",
    })
    void roundTripsWellFormedLinesByteForByte(String line) {
        LineParser p = new LineParser();
        CanFrame f = p.parse(line, 1);
        assertEquals(line, Candump.formatLine(f, p.iface()));
    }

    @Test
    void parsesTheFieldsOfAStandardDataFrame() {
        CanFrame f = Candump.parseLine("(1734001123.123456) can0 123#AABBCCDD", 1);
        assertEquals(0x123, f.id());
        assertFalse(f.extended());
        assertEquals(4, f.dlc());
        assertArrayEquals(new byte[] {(byte) 0xAA, (byte) 0xBB, (byte) 0xCC, (byte) 0xDD}, f.data());
        assertEquals(1_734_001_123_123_456L, f.timestampMicros());
    }

    @Test
    void keepsStandardAndExtendedIdsApart() {
        CanFrame std = Candump.parseLine("(1.000000) can0 123#01", 1);
        CanFrame ext = Candump.parseLine("(1.000000) can0 00000123#01", 1);
        assertEquals(std.id(), ext.id());
        assertFalse(std.extended());
        assertTrue(ext.extended());
        assertFalse(std.equals(ext));
    }

    @Test
    void setsTheErrorFlagForIdsWithCanErrFlag() {
        // 0x20000080 = CAN_ERR_FLAG (0x20000000) | CAN_ERR_BUSERROR (0x80): the error class bits are 0x80
        CanFrame f = Candump.parseLine("(1.000000) can0 20000080#0000000000000000", 3);
        assertTrue(f.error());
        assertFalse(f.extended());
        assertEquals(0x80, f.id());
        assertEquals(8, f.dlc());
    }

    @Test
    void parsesRemoteAndFdFrames() {
        CanFrame r = Candump.parseLine("(1.000000) can0 123#R4", 1);
        assertTrue(r.rtr());
        assertEquals(4, r.dlc());
        assertEquals(0, r.length());
        CanFrame fd = Candump.parseLine("(1.000000) can0 123##1AABB", 1);
        assertTrue(fd.fd());
        assertEquals(1, fd.fdFlags());
        assertEquals(2, fd.length());
    }

    @Test
    void acceptsTheDirectionMarkerOfCandumpX() {
        CanFrame f = Candump.parseLine("(1594172462.968006) vcan0 0C8#F000000000000000 T", 1);
        assertEquals(0xC8, f.id());
        assertEquals(8, f.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1734001123.123456 can0 123#AA",
        "(1734001123.123456can0 123#AA",
        "(1734001123.1234567) can0 123#AA",
        "(1734001123.123456) can0 1234#AA",
        "(1734001123.123456) can0 800#AA",
        "(1734001123.123456) can0 123#AAB",
        "(1734001123.123456) can0 123#GG",
        "(1734001123.123456) can0 123#001122334455667788",
        "(1734001123.123456) can0 123AA",
        "(1734001123.123456) can0 123#R9",
        "(1734001123.123456) can0 123##1AABBCC001122334455",
        "(1734001123.123456) can0 40000123#AA",
        "(1734001123.123456)  can0 123#AA",
        "",
    })
    void rejectsMalformedLinesNamingLineNumberAndExpectation(String line) {
        CandumpFormatException e = assertThrows(CandumpFormatException.class, () -> Candump.parseLine(line, 42));
        assertEquals(42, e.lineNumber());
        assertTrue(e.getMessage().startsWith("candump line 42: column "), e.getMessage());
        assertTrue(e.getMessage().contains("expected"), e.getMessage());
    }

    @Test
    void readerSkipsAndCountsBadLines() {
        String log = "(1.000001) can0 101#01\n"
                + "garbage\n"
                + "\n"
                + "(1.000002) can1 00000102#0203\n"
                + "(1.000003) can7 1FF#ZZ\n";
        try (CandumpReader r = new CandumpReader(new BufferedReader(new StringReader(log)), true)) {
            CanFrame a = r.next();
            assertEquals(0x101, a.id());
            assertEquals("can0", r.lastInterface());
            assertEquals(1, r.lineNumber());
            CanFrame b = r.next();
            assertEquals(0x102, b.id());
            assertEquals("can1", r.lastInterface());
            assertEquals(4, r.lineNumber());
            assertNull(r.next());
            assertEquals("can1", r.lastInterface(), "a skipped line does not change the interface");
            assertEquals(2, r.badLines());
            assertEquals(5, r.lastError().lineNumber());
        }
    }

    @Test
    void strictReaderThrowsOnTheFirstBadLine() {
        String log = "(1.000001) can0 101#01\n(1.000002) can0 1G1#01\n";
        try (CandumpReader r = new CandumpReader(new BufferedReader(new StringReader(log)), false)) {
            r.next();
            CandumpFormatException e = assertThrows(CandumpFormatException.class, r::next);
            assertEquals(2, e.lineNumber());
        }
    }
}
