package org.cea.tools.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cea.candecode.CanFrame;
import org.cea.candecode.DecodeResult;
import org.cea.candecode.DecodedMessage;
import org.cea.candecode.FrameDecoder;
import org.cea.candecode.facility.FacilityProfile;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;

class FacilitySimulatorTest {
    private static final List<Integer> ORDER = List.of(0x101, 0x102, 0x103, 0x10F, 0x201, 0x202, 0x203, 0x20F,
            0x301, 0x302, 0x303, 0x30F, 0x404, 0x405, 0x40F);

    @Test
    void everyNodeSendsEveryMessageTypeOncePerRoundWithRollingSeq() {
        FacilitySimulator sim = new FacilitySimulator(FacilitySimulator.Settings.defaults());
        for (int round = 0; round < 300; round++) {
            List<CanFrame> frames = sim.nextRound(round);
            assertEquals(ORDER, frames.stream().map(CanFrame::id).toList());
            for (CanFrame f : frames) {
                assertEquals(8, f.dlc());
                assertEquals(round & 0xFF, f.byteAt(7), "seq of " + f);
            }
        }
    }

    @Test
    void isDeterministicForASeed() {
        FacilitySimulator a = new FacilitySimulator(FacilitySimulator.Settings.defaults());
        FacilitySimulator b = new FacilitySimulator(FacilitySimulator.Settings.defaults());
        for (int i = 0; i < 50; i++) {
            assertEquals(a.nextRound(7), b.nextRound(7));
        }
    }

    @Test
    void decodesToPlausibleValuesWithTheFacilityProfile() {
        FrameDecoder decoder = FrameDecoder.forFacility(
                FacilityProfile.loadDefault(TestServers.projectRoot().resolve("etc")));
        FacilitySimulator sim = new FacilitySimulator(FacilitySimulator.Settings.defaults());
        for (int round = 0; round < 3600; round += 1) {
            for (CanFrame f : sim.nextRound(round)) {
                DecodeResult r = decoder.decode(f);
                DecodedMessage m = assertInstanceOf(DecodedMessage.class, r, f.toString());
                assertEquals(f.id() >> 8, m.nodeId());
                Map<String, Number> s = m.signals();
                switch (m.messageType()) {
                    case "PT100" -> {
                        within(s, "temp_dry_c", 20, 28);
                        within(s, "temp_wet_c", 14, 24);
                        assertTrue(s.get("temp_wet_c").doubleValue() < s.get("temp_dry_c").doubleValue());
                    }
                    case "BARO" -> within(s, "pressure_hpa", 1005, 1020);
                    case "SCD30" -> {
                        within(s, "co2_ppm", 500, 1100);
                        within(s, "rh_pct", 50, 80);
                    }
                    case "WATER" -> {
                        within(s, "water_temp_c", 18, 21);
                        within(s, "level_pct", 65, 80);
                    }
                    case "LAB" -> within(s, "rh_pct", 38, 52);
                    case "HEARTBEAT" -> assertEquals((long) round, s.get("uptime_s").longValue());
                    default -> throw new AssertionError("unexpected " + m.messageType());
                }
            }
        }
    }

    private static void within(Map<String, Number> s, String name, double min, double max) {
        double v = s.get(name).doubleValue();
        assertTrue(v >= min && v <= max, name + " = " + v + " not in " + min + ".." + max);
    }

    @Test
    void dropoutSilencesANodeAndFaultFlagsThePt100() {
        FacilitySimulator sim = new FacilitySimulator(new FacilitySimulator.Settings(1, Set.of(2), Set.of(3), 0));
        List<CanFrame> frames = sim.nextRound(0);
        assertEquals(11, frames.size());
        assertTrue(frames.stream().noneMatch(f -> f.id() >> 8 == 2));
        CanFrame pt100 = frames.stream().filter(f -> f.id() == 0x301).findFirst().orElseThrow();
        assertEquals(0x03, pt100.byteAt(4));
    }

    @Test
    void windowsSwitchDropoutFaultAndHeldValuesOnAndOffBySimulatedSecond() {
        FacilitySimulator.Settings st = ScannerOptions.simSettings(1, List.of("2@1-3"), List.of("1@2-3"),
                List.of("3:co2=1800@1-2", "4:level=10"), 0);
        FacilitySimulator sim = new FacilitySimulator(st);
        List<List<CanFrame>> rounds = List.of(sim.nextRound(0), sim.nextRound(0), sim.nextRound(0), sim.nextRound(0));
        for (int k = 0; k < 4; k++) {
            boolean silent = k == 1 || k == 2;
            assertEquals(silent, rounds.get(k).stream().noneMatch(f -> f.id() >> 8 == 2), "node 2 in second " + k);
            CanFrame pt100 = rounds.get(k).stream().filter(f -> f.id() == 0x101).findFirst().orElseThrow();
            assertEquals(k == 2 ? 0x03 : 0x00, pt100.byteAt(4), "node 1 PT100 status in second " + k);
            CanFrame scd30 = rounds.get(k).stream().filter(f -> f.id() == 0x303).findFirst().orElseThrow();
            int co2 = scd30.byteAt(0) | scd30.byteAt(1) << 8;
            assertEquals(k == 1, co2 == 1800, "co2 of node 3 in second " + k + ": " + co2);
            // level_pct: 8 bits at 0.5 %/bit, byte 2
            CanFrame water = rounds.get(k).stream().filter(f -> f.id() == 0x404).findFirst().orElseThrow();
            assertEquals(20, water.byteAt(2), "10 % held for the whole run");
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ScannerOptions.simSettings(1, List.of("2@5-5"), List.of(), List.of(), 0));
        assertTrue(e.getMessage().contains("FROM < TO"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ScannerOptions.simSettings(1, List.of(), List.of(), List.of("1:humidity=3"), 0));
        assertTrue(e.getMessage().contains("--sim-set signal"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ScannerOptions.simSettings(1, List.of(), List.of("4"), List.of(), 0));
        assertTrue(e.getMessage().contains("room node"), e.getMessage());
    }

    @Test
    void lossLeavesSeqGaps() {
        FacilitySimulator sim = new FacilitySimulator(new FacilitySimulator.Settings(3, Set.of(), Set.of(), 0.2));
        Map<Integer, Integer> last = new HashMap<>();
        int gaps = 0;
        int sent = 0;
        for (int round = 0; round < 200; round++) {
            for (CanFrame f : sim.nextRound(round)) {
                Integer prev = last.put(f.id(), f.byteAt(7));
                if (prev != null && ((prev + 1) & 0xFF) != f.byteAt(7)) {
                    gaps++;
                }
                sent++;
            }
        }
        assertTrue(sent < 200 * 15 * 0.9 && sent > 200 * 15 * 0.7, "sent " + sent);
        assertTrue(gaps > 100, "gaps " + gaps);
    }

    @Test
    void theProcessorCountsExactlyTheFramesTheSimulatorDropped() {
        // 600 simulated seconds with 10 % loss, frames 1 s apart as at facility load (counters wrap twice).
        // Expected, by counting only: frames dropped = rounds x 15 - frames sent, less the drops after
        // each message's last sent frame (no later frame reveals those).
        int rounds = 600;
        FacilitySimulator sim = new FacilitySimulator(new FacilitySimulator.Settings(7, Set.of(), Set.of(), 0.1));
        FacilityProfile profile = FacilityProfile.loadDefault(etc());
        FrameDecoder decoder = FrameDecoder.forFacility(profile);
        org.cea.candecode.facility.FacilityProcessor processor = new org.cea.candecode.facility.FacilityProcessor(profile);
        Map<Integer, Integer> lastRoundSent = new HashMap<>();
        int sent = 0;
        for (int round = 0; round < rounds; round++) {
            for (CanFrame f : sim.nextRound(1_795_000_000_000_000L + round * 1_000_000L)) {
                processor.process(assertInstanceOf(DecodedMessage.class, decoder.decode(f)));
                lastRoundSent.put(f.id(), round);
                sent++;
            }
        }
        int trailing = 0;
        for (int id : ORDER) {
            trailing += rounds - 1 - lastRoundSent.get(id);
        }
        int dropped = rounds * ORDER.size() - sent;
        assertTrue(dropped > 700, "dropped " + dropped);
        assertEquals(dropped - trailing, processor.lostFrames());
        assertEquals(0, processor.sequenceResets());
    }

    static Path etc() {
        return TestServers.projectRoot().resolve("etc");
    }
}
