package org.cea.candecode.dbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cea.candecode.CanFrame;
import org.cea.candecode.ConfigException;
import org.cea.candecode.DecodedMessage;
import org.cea.candecode.FrameDecoder;
import org.cea.candecode.Hex;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbcParserTest {
    private static final Path CANTOOLS = TestServers.testdata().resolve("cantools");

    private static Dbc parse(String text) {
        return DbcParser.parse("test.dbc", new StringReader(text));
    }

    @Test
    void readsMessagesSignalsChoicesCommentsAndCycleTimesOfTheCrlfFixture() {
        Dbc dbc = DbcParser.parse(CANTOOLS.resolve("dbc/socialledge.dbc"));
        assertEquals(5, dbc.messages().size());
        DbcMessage hb = dbc.messageById(100, false).orElseThrow();
        assertEquals("DRIVER_HEARTBEAT", hb.name());
        assertEquals(1, hb.length());
        assertEquals("DRIVER", hb.sender());
        assertEquals(1000, hb.cycleTimeMs());
        assertEquals("Sync message used to synchronize the controllers", hb.comment());
        DbcSignal cmd = hb.signal("DRIVER_HEARTBEAT_cmd").orElseThrow();
        assertEquals(Map.of(0L, "DRIVER_HEARTBEAT_cmd_NOOP", 1L, "DRIVER_HEARTBEAT_cmd_SYNC",
                2L, "DRIVER_HEARTBEAT_cmd_REBOOT"), cmd.choices());
        assertEquals(java.util.List.of("SENSOR", "MOTOR"), cmd.receivers());
        DbcSignal speed = dbc.messageByName("MOTOR_STATUS").orElseThrow().signal("MOTOR_STATUS_speed_kph").orElseThrow();
        assertEquals("kph", speed.unit());
        assertEquals(0.001, speed.factor());
        DbcMessage sonars = dbc.messageByName("SENSOR_SONARS").orElseThrow();
        assertTrue(sonars.multiplexer().orElseThrow().isMultiplexer());
        assertEquals(1, sonars.signal("SENSOR_SONARS_no_filt_rear").orElseThrow().multiplexerValue());
        assertNull(sonars.signal("SENSOR_SONARS_err_count").orElseThrow().multiplexerValue());
    }

    @Test
    void readsMotorolaMinMaxAndFloatTypes() {
        DbcSignal t = DbcParser.parse(CANTOOLS.resolve("dbc/motohawk.dbc")).messageById(496, false).orElseThrow()
                .signal("Temperature").orElseThrow();
        assertEquals(DbcSignal.ByteOrder.BIG_ENDIAN, t.byteOrder());
        assertTrue(t.signed());
        assertEquals(229.52, t.minimum());
        assertEquals(270.47, t.maximum());
        assertEquals("degK", t.unit());
        Dbc fp = DbcParser.parse(CANTOOLS.resolve("dbc/floating_point.dbc"));
        assertEquals(DbcSignal.ValueType.FLOAT64,
                fp.messageById(1024, false).orElseThrow().signal("Signal1").orElseThrow().valueType());
        assertEquals(DbcSignal.ValueType.FLOAT32,
                fp.messageById(1025, false).orElseThrow().signal("Signal2").orElseThrow().valueType());
    }

    @Test
    void decodesIeeeFloatSignalsFromHandComputedBytes() {
        Dbc fp = DbcParser.parse(CANTOOLS.resolve("dbc/floating_point.dbc"));
        FrameDecoder d = FrameDecoder.forDbc(fp);
        // float64 1.5 = 0x3FF8000000000000, little-endian bytes 00 00 00 00 00 00 F8 3F
        DecodedMessage m1 = (DecodedMessage) d.decode(CanFrame.standard(1024, Hex.parseSpaced("00 00 00 00 00 00 F8 3F"), 0));
        assertEquals(1.5, m1.signals().get("Signal1"));
        // float32 -2.0 = 0xC0000000 -> 00 00 00 C0 (Signal1, bits 0..31); float32 0.25 = 0x3E800000 -> 00 00 80 3E
        DecodedMessage m2 = (DecodedMessage) d.decode(CanFrame.standard(1025, Hex.parseSpaced("00 00 00 C0 00 00 80 3E"), 0));
        assertEquals(-2.0, m2.signals().get("Signal1"));
        assertEquals(0.25, m2.signals().get("Signal2"));
    }

    @Test
    void bit31MarksAnExtendedIdAndCp1252IsDecoded() {
        // 2147484195 = 0x80000223: bit 31 set -> extended id 0x223; 0xB0 in cp1252 is the degree sign
        String text = "VERSION \"\"\r\n\r\nBO_ 2147484195 EXT: 2 N\r\n SG_ t : 0|16@1- (0.01,0) [0|0] \"\u00B0C\" N\r\n";
        Dbc dbc = DbcParser.parse("x.dbc", new InputStreamReader(
                new ByteArrayInputStream(text.getBytes(DbcParser.CP1252)), DbcParser.CP1252));
        DbcMessage m = dbc.messageById(0x223, true).orElseThrow();
        assertTrue(m.extended());
        assertFalse(dbc.messageById(0x223, false).isPresent());
        assertEquals("\u00B0C", m.signal("t").orElseThrow().unit());
    }

    @Test
    void readsTheFacilityDbcInCp1252FromDisk(@TempDir Path dir) throws Exception {
        Dbc dbc = DbcParser.parse(TestServers.projectRoot().resolve("etc/cea.dbc"));
        assertEquals("\u00B0C", dbc.messageByName("PT100").orElseThrow().signal("temp_dry_c").orElseThrow().unit());
        assertEquals(1000, dbc.messageByName("PT100").orElseThrow().cycleTimeMs());
        Path lf = dir.resolve("lf.dbc");
        Files.writeString(lf, "BO_ 1 A: 1 N\n SG_ s : 0|8@1+ (1,0) [0|0] \"\" N\n", DbcParser.CP1252);
        assertEquals(1, DbcParser.parse(lf).messages().size());
    }

    @Test
    void skipsSectionsItDoesNotInterpret() {
        Dbc dbc = parse("VERSION \"1\"\nNS_ :\n\tCM_\n\tBA_\n\nBS_:\nBU_: A B\nVAL_TABLE_ T 1 \"one\" 0 \"zero\" ;\n"
                + "BO_ 1 M: 8 A\n SG_ s : 0|8@1+ (1,0) [0|0] \"\" B\n"
                + "EV_ E: 0 [0|0] \"\" 0 1 DUMMY_NODE_VECTOR0 Vector__XXX;\n"
                + "BO_TX_BU_ 1 : A,B;\nSG_MUL_VAL_ 1 s s 0-0;\nSIG_GROUP_ 1 G 1 : s;\n"
                + "CM_ \"general comment\";\nCM_ EV_ E \"env\";\nBA_ \"X\" 3;\nVAL_ E 0 \"off\" ;\n");
        assertEquals(java.util.List.of("A", "B"), dbc.nodes());
        assertEquals(1, dbc.messages().size());
    }

    @Test
    void errorsNameTheLineAndTheToken() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("BO_ 1 M: 8 A\n SG_ s : 0|8@2+ (1,0) [0|0] \"\" B\n"));
        assertEquals("test.dbc: line 2: unexpected '2', expected byte order 0 (Motorola) or 1 (Intel)", e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("BO_ 1 M: 8 A\n SG_ s : 0|8@1+ (x,0) [0|0] \"\" B\n"));
        assertTrue(e.getMessage().startsWith("test.dbc: line 2: unexpected 'x,0)'"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("BO_ 1 M: 8 A\n SG_ temp_dry_c : 56|16@1+ (1,0) [0|0] \"\" B\n"));
        assertEquals("test.dbc: line 2: signal temp_dry_c: start bit 56 + length 16 exceeds the 64 bits of message M",
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("BO_ 1 M: 8 A\nBO_ 1 N: 8 A\n"));
        assertTrue(e.getMessage().startsWith("test.dbc: line 2: unexpected '1'"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("BOGUS_ 1\n"));
        assertTrue(e.getMessage().startsWith("test.dbc: line 1: unexpected 'BOGUS_'"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("BO_ 1 M: 8 A\n SG_ s : 0|16@1+ (1,0) [0|0] \"\" B\n"
                + "SIG_VALTYPE_ 1 s : 1;\n"));
        assertTrue(e.getMessage().startsWith("test.dbc: line 3: message M: signal s: a FLOAT32 signal must be 32 bits"),
                e.getMessage());
    }

    @Test
    void decodesMotorolaSignalsAcrossBytes() {
        // A 12-bit Motorola signal with MSB at start bit 7 (byte 0 bit 7) covers byte 0 and the high nibble of byte 1:
        // bytes AB CD -> raw 0xABC = 2748
        Dbc dbc = parse("BO_ 1 M: 2 A\n SG_ s : 7|12@0+ (1,0) [0|0] \"\" B\n");
        DecodedMessage m = (DecodedMessage) FrameDecoder.forDbc(dbc).decode(CanFrame.standard(1, Hex.parseSpaced("AB CD"), 0));
        assertEquals(2748L, m.signals().get("s"));
        assertInstanceOf(Long.class, m.signals().get("s"));
    }
}
