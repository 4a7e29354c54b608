package org.cea.candecode.facility;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.cea.candecode.CanFrame;
import org.cea.candecode.DecodeResult;
import org.cea.candecode.DecodedMessage;
import org.cea.candecode.FrameDecoder;
import org.cea.candecode.Hex;
import org.cea.candecode.UnknownFrame;
import org.cea.candecode.WrongLength;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;

/** The default profile (etc/cea.dbc + etc/facility.json) against hand-computed frames. */
class FacilityTest {
    static final FacilityProfile PROFILE = FacilityProfile.loadDefault(TestServers.projectRoot().resolve("etc"));
    private final FrameDecoder decoder = FrameDecoder.forFacility(PROFILE);

    static CanFrame frame(int id, String hex, long ts) {
        return CanFrame.standard(id, Hex.parseSpaced(hex), ts);
    }

    private DecodedMessage decode(int id, String hex, long ts) {
        return assertInstanceOf(DecodedMessage.class, decoder.decode(frame(id, hex, ts)));
    }

    @Test
    void decodedDataCarriesTheSignalsDecimalsNotBinaryArtefacts() {
        // temp_dry_c raw 2508 = 0x09CC -> bytes CC 09; 2508 * 0.01 in binary floating point is
        // 25.080000000000002, but the value on the wire is exactly 25.08 (factor 0.01 has 2 decimals).
        // temp_wet_c raw 1914 = 0x077A -> 7A 07 = 19.14; status 0; seq 3.
        DecodedMessage m = decode(0x201, "CC 09 7A 07 00 00 00 03", 1_000_000);
        assertEquals("{\"temp_dry_c\":25.08,\"temp_wet_c\":19.14,\"status\":0,\"seq\":3}", m.toJson());
    }

    @Test
    void decodesAPt100FrameOfNode1() {
        // id 0x101 = node 1 << 8 | type 0x01 (PT100)
        // temp_dry_c 23.55 -> raw 2355 = 0x0933 -> bytes 33 09; temp_wet_c 18.20 -> 1820 = 0x071C -> 1C 07;
        // status 0; bytes 5..6 unused; seq 17 = 0x11 in byte 7
        DecodedMessage m = decode(0x101, "33 09 1C 07 00 00 00 11", 1_000_000);
        assertEquals("PT100", m.messageType());
        assertEquals(1, m.nodeId());
        assertEquals("{\"temp_dry_c\":23.55,\"temp_wet_c\":18.2,\"status\":0,\"seq\":17}", m.toJson());
    }

    @Test
    void decodesSignedAndScaledSignalsOfEveryType() {
        // BARO node 3: pressure 1012.7 hPa -> raw 10127 = 0x278F -> 8F 27; temp -5.00 -> -500 = 0xFE0C -> 0C FE; seq 255
        DecodedMessage baro = decode(0x302, "8F 27 0C FE 00 00 00 FF", 0);
        assertEquals(3, baro.nodeId());
        assertEquals(1012.7, baro.signals().get("pressure_hpa").doubleValue(), 1e-9);
        assertEquals(-5.0, baro.signals().get("temp_c").doubleValue(), 1e-9);
        assertEquals(255L, baro.signals().get("seq"));
        // SCD30 node 2: co2 812 ppm = 0x032C -> 2C 03; temp 24.10 -> 2410 = 0x096A -> 6A 09; rh 55.55 -> 5555 = 0x15B3 -> B3 15
        DecodedMessage scd = decode(0x203, "2C 03 6A 09 B3 15 00 01", 0);
        assertEquals(812L, scd.signals().get("co2_ppm"));
        assertEquals(24.10, scd.signals().get("temp_c").doubleValue(), 1e-9);
        assertEquals(55.55, scd.signals().get("rh_pct").doubleValue(), 1e-9);
        // WATER node 4: water 19.80 -> 1980 = 0x07BC -> BC 07; level raw 0xA1 = 161 * 0.5 = 80.5 %
        DecodedMessage water = decode(0x404, "BC 07 A1 00 00 00 00 02", 0);
        assertEquals(19.80, water.signals().get("water_temp_c").doubleValue(), 1e-9);
        assertEquals(80.5, water.signals().get("level_pct").doubleValue(), 1e-9);
        // HEARTBEAT node 1: uptime 0x00012345 = 74565 s -> 45 23 01 00; fw 2.7; error_flags 0x80
        DecodedMessage hb = decode(0x10F, "45 23 01 00 02 07 80 09", 0);
        assertEquals("HEARTBEAT", hb.messageType());
        assertEquals(Map.of("uptime_s", 74565L, "fw_major", 2L, "fw_minor", 7L, "error_flags", 128L, "seq", 9L),
                Map.copyOf(hb.signals()));
    }

    @Test
    void reportsUnknownTypesExtendedIdsAndWrongLengths() {
        assertInstanceOf(UnknownFrame.class, decoder.decode(frame(0x10E, "00 00 00 00 00 00 00 00", 0)));
        assertInstanceOf(UnknownFrame.class, decoder.decode(CanFrame.data(0x101, true, new byte[8], 0)));
        DecodeResult r = decoder.decode(frame(0x201, "33 09 1C 07 00 00 00", 0));
        WrongLength w = assertInstanceOf(WrongLength.class, r);
        assertEquals("PT100", w.messageType());
        assertEquals(2, w.nodeId());
        assertEquals(8, w.expectedLength());
    }

    @Test
    void profileListsEverySensorWithUnitsAndRooms() {
        List<String> names = PROFILE.sensors().stream().map(SensorSpec::name).collect(Collectors.toList());
        for (String suffix : List.of("_b", "_f", "_v")) {
            for (String base : List.of("dry_bulb", "wet_bulb", "co2", "rh", "vpd", "pressure", "secondary_temp",
                    "secondary_rh")) {
                assertTrue(names.contains(base + suffix), base + suffix);
            }
        }
        assertTrue(names.containsAll(List.of("lab_temp", "water_temp", "water_level")));
        assertEquals(27, names.size());
        assertEquals("\u00B0C", PROFILE.sensor("dry_bulb_b").orElseThrow().unit());
        assertEquals("kPa", PROFILE.sensor("vpd_v").orElseThrow().unit());
        assertEquals("flower_front", PROFILE.sensor("co2_f").orElseThrow().room());
        assertEquals("_v", PROFILE.roomOfNode(3).orElseThrow().suffix());
        assertEquals("lab", PROFILE.roomOfNode(4).orElseThrow().name());
        assertFalse(PROFILE.roomOfNode(9).isPresent());
        assertEquals(Psychrometrics.A_PSY_VENTILATED, PROFILE.aPsy());
        assertEquals(101.325, PROFILE.defaultPressureKpa());
    }

    @Test
    void heartbeatYieldsNoReadings() {
        FacilityProcessor p = new FacilityProcessor(PROFILE);
        assertEquals(List.of(), p.process(decode(0x10F, "45 23 01 00 02 07 80 09", 0)));
    }

    @Test
    void roomNodeReadingsCarryTheFrameTimestamp() {
        FacilityProcessor p = new FacilityProcessor(PROFILE);
        // SCD30 node 2 as above: co2 812 ppm, 24.10 °C, 55.55 %
        List<SensorReading> rs = p.process(decode(0x203, "2C 03 6A 09 B3 15 00 01", 1_734_001_123_123_456L));
        assertEquals(List.of("co2_f", "secondary_temp_f", "secondary_rh_f"),
                rs.stream().map(SensorReading::sensor).collect(Collectors.toList()));
        for (SensorReading r : rs) {
            assertEquals(1_734_001_123_123_456L, r.timestampMicros());
            assertTrue(r.valid());
            assertNull(r.problem());
        }
        assertEquals("ppm", rs.get(0).unit());
        assertEquals(812.0, rs.get(0).value());
    }

    @Test
    void labNodeMapsWaterAndLabSignals() {
        FacilityProcessor p = new FacilityProcessor(PROFILE);
        List<SensorReading> rs = p.process(decode(0x404, "BC 07 A1 00 00 00 00 02", 0));
        assertEquals(List.of("water_temp", "water_level"), rs.stream().map(SensorReading::sensor).collect(Collectors.toList()));
        // LAB node 4: temp 21.00 -> 2100 = 0x0834 -> 34 08; rh 40.00 -> 4000 = 0x0FA0 -> A0 0F
        List<SensorReading> lab = p.process(decode(0x405, "34 08 A0 0F 00 00 00 00", 0));
        assertEquals(1, lab.size());
        assertEquals("lab_temp", lab.get(0).sensor());
        assertEquals(21.0, lab.get(0).value(), 1e-9);
    }

    @Test
    void locatesTheEtcDirectoryAsEveryToolDoes() throws Exception {
        Path etc = TestServers.projectRoot().resolve("etc");
        assertEquals(Path.of("/srv/cea/etc"), FacilityProfile.locateEtcDir("/srv/cea/etc", FacilityTest.class));
        // nothing given: found upwards from this class's code source (lib-candecode/target/test-classes)
        assertEquals(etc.toRealPath(), FacilityProfile.locateEtcDir(null, FacilityTest.class).toRealPath());
        assertEquals(etc.toRealPath(), FacilityProfile.locateEtcDir("  ", FacilityTest.class).toRealPath());
        // a JDK class has no code source: the fixed places, here none with the profile -> ./etc
        Path fallback = FacilityProfile.locateEtcDir(null, String.class);
        assertTrue(fallback.equals(Path.of("etc")) || fallback.equals(Path.of("/etc/cea")),
                "fallback " + fallback);
    }
}
