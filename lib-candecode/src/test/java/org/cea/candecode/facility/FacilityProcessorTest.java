package org.cea.candecode.facility;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.cea.candecode.DecodedMessage;
import org.cea.candecode.FrameDecoder;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FacilityProcessorTest {
    private static final Path ETC = TestServers.projectRoot().resolve("etc");
    private static final double RH_TOL = 0.1;
    private static final double KPA_TOL = 0.005;

    @TempDir
    Path dir;

    /** A copy of etc/facility.json with an edit applied, loaded with etc/cea.dbc. */
    private FacilityProfile profileWith(Consumer<JsonObject> edit) throws IOException {
        JsonObject root = JsonParser.parseString(Files.readString(ETC.resolve("facility.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
        edit.accept(root);
        Path json = dir.resolve("facility.json");
        Files.writeString(json, root.toString(), StandardCharsets.UTF_8);
        return FacilityProfile.load(json, ETC.resolve("cea.dbc"));
    }

    private static DecodedMessage decode(FacilityProfile p, int id, String hex) {
        return (DecodedMessage) FrameDecoder.forFacility(p).decode(FacilityTest.frame(id, hex, 5_000_000));
    }

    private static Map<String, SensorReading> bySensor(List<SensorReading> rs) {
        return rs.stream().collect(Collectors.toMap(SensorReading::sensor, r -> r));
    }

    @Test
    void derivesRhAndVpdWithTheDefaultPressure() {
        FacilityProcessor p = new FacilityProcessor(FacilityTest.PROFILE);
        // PT100 node 1: dry 25.00 -> 2500 = 0x09C4 -> C4 09; wet 20.00 -> 2000 = 0x07D0 -> D0 07; status 0; seq 1
        Map<String, SensorReading> rs = bySensor(p.process(decode(FacilityTest.PROFILE, 0x101, "C4 09 D0 07 00 00 00 01")));
        assertEquals(Map.of("dry_bulb_b", 25.0, "wet_bulb_b", 20.0), Map.of(
                "dry_bulb_b", rs.get("dry_bulb_b").value(), "wet_bulb_b", rs.get("wet_bulb_b").value()));
        // published: 25/20 °C at 101.325 kPa, ventilated -> RH 63.2 %
        assertEquals(63.2, rs.get("rh_b").value(), RH_TOL);
        assertEquals("%", rs.get("rh_b").unit());
        // e°(25) = 3.168, e°(20) = 2.338 (FAO-56 Annex 2): e_a = 2.338 - 0.000662 * 101.325 * 5 = 2.0026;
        // VPD = 3.168 - 2.0026 = 1.1654 kPa
        assertEquals(1.1654, rs.get("vpd_b").value(), KPA_TOL);
        assertEquals(5_000_000, rs.get("vpd_b").timestampMicros());
        assertEquals(0, p.invalidReadings());
    }

    @Test
    void usesTheRoomsLatestBarometerPressure() {
        FacilityProcessor p = new FacilityProcessor(FacilityTest.PROFILE);
        // BARO node 2: 879.0 hPa (= 87.9 kPa, FAO-56 Example 4) -> raw 8790 = 0x2256 -> 56 22
        p.process(decode(FacilityTest.PROFILE, 0x202, "56 22 00 00 00 00 00 00"));
        // PT100 node 2: dry 25.60 -> 2560 = 0x0A00 -> 00 0A; wet 19.50 -> 1950 = 0x079E -> 9E 07
        Map<String, SensorReading> rs = bySensor(p.process(decode(FacilityTest.PROFILE, 0x201, "00 0A 9E 07 00 00 00 00")));
        // Example 4: e_a = 1.91 kPa, so RH · e°(25.6) / 100 must give 1.91 back
        double ea = rs.get("rh_f").value() / 100 * Psychrometrics.saturationKpa(25.6);
        assertEquals(1.91, ea, KPA_TOL);
        // the other rooms still use the default pressure: node 1 with the same temperatures differs
        Map<String, SensorReading> other = bySensor(p.process(decode(FacilityTest.PROFILE, 0x101, "00 0A 9E 07 00 00 00 00")));
        assertTrue(other.get("rh_b").value() < rs.get("rh_f").value());
    }

    @Test
    void psychrometerCoefficientComesFromTheProfile() throws IOException {
        FacilityProfile natural = profileWith(r -> r.addProperty("a_psy", 0.0008));
        FacilityProfile indoor = profileWith(r -> r.addProperty("a_psy", 0.0012));
        String frame = "C4 09 D0 07 00 00 00 01"; // 25.00 / 20.00 °C as above
        assertEquals(61.0, bySensor(new FacilityProcessor(natural).process(decode(natural, 0x301, frame))).get("rh_v").value(), RH_TOL);
        assertEquals(54.6, bySensor(new FacilityProcessor(indoor).process(decode(indoor, 0x301, frame))).get("rh_v").value(), RH_TOL);
    }

    @Test
    void appliesCalibrationBeforeTheRangeCheck() throws IOException {
        FacilityProfile p = profileWith(r -> {
            JsonObject cal = new JsonObject();
            cal.addProperty("gain", 1.02);
            cal.addProperty("offset", -0.5);
            r.getAsJsonObject("calibration").add("co2_b", cal);
        });
        assertEquals(1.02, p.sensor("co2_b").orElseThrow().gain());
        // SCD30 node 1: co2 1000 ppm = 0x03E8 -> E8 03 -> 1.02 * 1000 - 0.5 = 1019.5
        Map<String, SensorReading> rs = bySensor(new FacilityProcessor(p).process(decode(p, 0x103, "E8 03 00 00 00 00 00 00")));
        assertEquals(1019.5, rs.get("co2_b").value(), 1e-9);
        assertEquals(1.0, p.sensor("co2_f").orElseThrow().gain());
    }

    @Test
    void outOfRangeReadingsAreInvalidAndCounted() {
        FacilityProcessor p = new FacilityProcessor(FacilityTest.PROFILE);
        // LAB node 4: temp 85.00 °C -> 8500 = 0x2134 -> 34 21 (valid range -10..60)
        List<SensorReading> rs = p.process(decode(FacilityTest.PROFILE, 0x405, "34 21 00 00 00 00 00 00"));
        assertEquals(1, rs.size());
        assertFalse(rs.get(0).valid());
        assertEquals(85.0, rs.get(0).value(), 1e-9);
        assertTrue(rs.get(0).problem().contains("outside the valid range"), rs.get(0).problem());
        assertEquals(1, p.invalidReadings());
    }

    @Test
    void faultBitsInvalidateTheirBulbAndSuppressDerivedValues() {
        FacilityProcessor p = new FacilityProcessor(FacilityTest.PROFILE);
        // 25.00 / 20.00 °C with status 0x02 (bit 1: wet bulb fault)
        Map<String, SensorReading> rs = bySensor(p.process(decode(FacilityTest.PROFILE, 0x101, "C4 09 D0 07 02 00 00 01")));
        assertTrue(rs.get("dry_bulb_b").valid());
        assertFalse(rs.get("wet_bulb_b").valid());
        assertTrue(rs.get("wet_bulb_b").problem().contains("bit 1"), rs.get("wet_bulb_b").problem());
        assertFalse(rs.containsKey("rh_b"));
        assertFalse(rs.containsKey("vpd_b"));
        // status 0x01: dry bulb fault
        rs = bySensor(p.process(decode(FacilityTest.PROFILE, 0x101, "C4 09 D0 07 01 00 00 02")));
        assertFalse(rs.get("dry_bulb_b").valid());
        assertTrue(rs.get("wet_bulb_b").valid());
        assertEquals(2, p.invalidReadings());
    }

    @Test
    void invalidReadingsSayTheirKindAFaultBitWinsOverTheRange() {
        FacilityProcessor p = new FacilityProcessor(FacilityTest.PROFILE);
        // 327.67 / 327.67 °C (0x7FFF -> FF 7F) with status 0x01: the dry probe is flagged, the wet one only out of range
        Map<String, SensorReading> rs = bySensor(p.process(decode(FacilityTest.PROFILE, 0x101, "FF 7F FF 7F 01 00 00 03")));
        assertEquals(SensorReading.Problem.FAULTED, rs.get("dry_bulb_b").kind());
        assertEquals(SensorReading.Problem.OUT_OF_RANGE, rs.get("wet_bulb_b").kind());
        rs = bySensor(p.process(decode(FacilityTest.PROFILE, 0x101, "C4 09 D0 07 00 00 00 04")));
        assertNull(rs.get("dry_bulb_b").kind());
        // dry 20.00, wet 21.00: impossible psychrometrics
        rs = bySensor(p.process(decode(FacilityTest.PROFILE, 0x101, "D0 07 34 08 00 00 00 05")));
        assertEquals(SensorReading.Problem.IMPOSSIBLE, rs.get("rh_b").kind());
    }

    @Test
    void wetBulbAboveDryBulbGivesAnInvalidUnclampedRh() {
        FacilityProcessor p = new FacilityProcessor(FacilityTest.PROFILE);
        // dry 20.00 -> D0 07; wet 21.00 -> 2100 = 0x0834 -> 34 08
        Map<String, SensorReading> rs = bySensor(p.process(decode(FacilityTest.PROFILE, 0x101, "D0 07 34 08 00 00 00 01")));
        SensorReading rh = rs.get("rh_b");
        assertFalse(rh.valid());
        assertTrue(rh.value() > 100, "not clamped: " + rh.value());
        assertTrue(rh.problem().contains("wet bulb"), rh.problem());
        assertFalse(rs.containsKey("vpd_b"));
        assertEquals(1, p.invalidReadings());
    }

    @Test
    void negativeRhIsInvalid() {
        FacilityProcessor p = new FacilityProcessor(FacilityTest.PROFILE);
        // dry 50.00 -> 5000 = 0x1388 -> 88 13; wet 10.00 -> 1000 = 0x03E8 -> E8 03: e°(10) = 1.228 < 0.000662*101.325*40 = 2.683
        SensorReading rh = bySensor(p.process(decode(FacilityTest.PROFILE, 0x101, "88 13 E8 03 00 00 00 01"))).get("rh_b");
        assertFalse(rh.valid());
        assertTrue(rh.value() < 0);
    }

    @Test
    void countsSequenceGapsPerNodeAndType() {
        // each frame stamped when its counter says it was sent: PT100 and BARO every 1 s, HEARTBEAT
        // every 5 s (GenMsgCycleTime in etc/cea.dbc), so the elapsed time agrees with every gap
        FacilityProcessor p = new FacilityProcessor(FacilityTest.PROFILE);
        String base = "C4 09 D0 07 00 00 00 ";
        for (int seq : List.of(10, 11, 14, 14, 15)) { // 14 (2 lost), 14 again (redelivery), 15
            p.process(at(0x101, base + String.format("%02X", seq), seq * 1_000_000L));
        }
        long t = 0;
        for (String seq : List.of("FE", "FF", "00", "01")) { // wraps 255 -> 0 without loss
            p.process(at(0x201, base + seq, t += 1_000_000L));
        }
        // BARO of node 1 has its own counter: 5 then 9, 4 s later -> 3 lost
        p.process(at(0x102, "56 22 00 00 00 00 00 05", 5_000_000L));
        p.process(at(0x102, "56 22 00 00 00 00 00 09", 9_000_000L));
        // heartbeat counters count too: 0xFE then 0x01 15 s later -> 2 lost (0xFF, 0x00)
        p.process(at(0x30F, "00 00 00 00 00 00 00 FE", 0));
        p.process(at(0x30F, "00 00 00 00 00 00 00 01", 15_000_000L));
        assertEquals(Map.of(1, 5L, 3, 2L), p.lostFramesByNode());
        assertEquals(7, p.lostFrames());
        assertEquals(0, p.sequenceResets());
    }

    @Test
    void aCounterThatJumpsWithoutTheTimeToMatchIsAResetNotLostFrames() {
        FacilityProcessor p = new FacilityProcessor(FacilityTest.PROFILE);
        String base = "C4 09 D0 07 00 00 00 ";
        p.process(at(0x201, base + "0A", 10_000_000L));
        p.process(at(0x201, base + "0B", 11_000_000L));
        // node 2 reboots after a power cut and starts again at 0, 5 s later: 245 steps in 5 cycles
        p.process(at(0x201, base + "00", 16_000_000L));
        p.process(at(0x201, base + "01", 17_000_000L));
        // a bus problem for 30 s while the node kept counting: 1 -> 31 in 30 s = 29 lost
        p.process(at(0x201, base + "1F", 47_000_000L));
        // silent for 1000 s (more than 256 cycles): 31 -> 131 no longer tells how many were lost
        p.process(at(0x201, base + "83", 1_047_000_000L));
        assertEquals(Map.of(2, 29L), p.lostFramesByNode());
        assertEquals(2, p.sequenceResets());
    }

    @Test
    void timingAgreesWithinHalfToOneAndAHalfTimesTheExpectedSteps() {
        // 1 s period, 4 s elapsed: 4 steps expected; 1..7 agree (>= 4*0.5-1 = 1, <= 4*1.5+1 = 7)
        assertTrue(FacilityProcessor.timingAgrees(4, 4_000_000L, 1e6));
        assertTrue(FacilityProcessor.timingAgrees(7, 4_000_000L, 1e6));
        assertFalse(FacilityProcessor.timingAgrees(8, 4_000_000L, 1e6));
        assertFalse(FacilityProcessor.timingAgrees(245, 5_000_000L, 1e6));
        assertFalse(FacilityProcessor.timingAgrees(100, 1_000_000_000L, 1e6));
        // no period known: every gap counts
        assertTrue(FacilityProcessor.timingAgrees(245, 0, 0));
    }

    @Test
    void theObservedIntervalWinsOverTheDbcCycleTime() {
        // HEARTBEAT's GenMsgCycleTime is 5 s, but this node sends it every second (as the simulator
        // does): 2 missing beats 3 s apart are a loss, not a reset
        FacilityProcessor p = new FacilityProcessor(FacilityTest.PROFILE);
        p.process(at(0x30F, "00 00 00 00 00 00 00 01", 1_000_000L));
        p.process(at(0x30F, "00 00 00 00 00 00 00 02", 2_000_000L));
        p.process(at(0x30F, "00 00 00 00 00 00 00 05", 5_000_000L));
        assertEquals(Map.of(3, 2L), p.lostFramesByNode());
        assertEquals(0, p.sequenceResets());
        // the same frames sent 10x faster (a replay at --speed 10): still agrees
        FacilityProcessor fast = new FacilityProcessor(FacilityTest.PROFILE);
        fast.process(at(0x30F, "00 00 00 00 00 00 00 01", 100_000L));
        fast.process(at(0x30F, "00 00 00 00 00 00 00 02", 200_000L));
        fast.process(at(0x30F, "00 00 00 00 00 00 00 05", 500_000L));
        assertEquals(2, fast.lostFrames());
    }

    @Test
    void replayedOlderFramesCountNeitherGapsNorInvalidReadingsAgain() {
        FacilityProcessor p = new FacilityProcessor(FacilityTest.PROFILE);
        // PT100 node 1 with seq 1..3 one second apart; seq 2 carries a faulted dry bulb (status bit 0)
        String[] frames = {"C4 09 D0 07 00 00 00 01", "C4 09 D0 07 01 00 00 02", "C4 09 D0 07 00 00 00 03"};
        for (int round = 0; round < 2; round++) { // the second round is the worker re-reading after an outage
            for (int k = 0; k < frames.length; k++) {
                p.process(at(0x101, frames[k], 10_000_000L + k * 1_000_000L));
            }
        }
        p.process(at(0x101, "C4 09 D0 07 00 00 00 04", 13_000_000L));
        assertEquals(0, p.lostFrames());
        long invalidOnce = p.invalidReadings();
        assertTrue(invalidOnce > 0, "the faulted frame produced invalid readings");
        // a real gap after the replay still counts: 4 -> 7, 3 s later, lost 5 and 6
        p.process(at(0x101, "C4 09 D0 07 00 00 00 07", 16_000_000L));
        assertEquals(Map.of(1, 2L), p.lostFramesByNode());
        // replaying the faulted frame again adds no invalid readings
        p.process(at(0x101, frames[1], 11_000_000L));
        assertEquals(invalidOnce, p.invalidReadings());
    }

    private static DecodedMessage at(int id, String hex, long micros) {
        return (DecodedMessage) FrameDecoder.forFacility(FacilityTest.PROFILE).decode(FacilityTest.frame(id, hex, micros));
    }
}
