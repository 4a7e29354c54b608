package org.cea.automation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cea.candecode.CanFrame;
import org.cea.redisio.Alert;
import org.cea.redisio.AlertAcks;
import org.cea.redisio.AlertEvents;
import org.cea.redisio.LiveValue;
import org.junit.jupiter.api.Test;

/** The engine's lifecycle on hand-written timelines (times in seconds from T0 = 2026-06-01 12:00 Europe/Amsterdam). */
class AlertEngineTest {
    static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");
    static final long T0 = LocalDateTime.of(2026, 6, 1, 12, 0).atZone(ZONE).toInstant().toEpochMilli();
    static final Map<String, String> WORKER_OK = Map.of("updated_at", "0", "db", "ok");

    static AlertEngine engine(String rules) {
        AutomationConfig c = AutomationConfigParser.parse(AutomationConfigParserTest.FILE, "{\"time_zone\":\"Europe/Amsterdam\","
                + "\"rooms\":{\"veg\":{\"lights_on\":\"06:00\",\"lights_off\":\"18:00\"}},\"rules\":[" + rules + "]}",
                AutomationConfigParserTest.PROFILE);
        Map<String, String> units = new HashMap<>();
        AutomationConfigParserTest.PROFILE.sensors().forEach(s -> units.put(s.name(), s.unit()));
        return new AlertEngine(c, units, T0);
    }

    static long at(double seconds) {
        return T0 + Math.round(seconds * 1000);
    }

    /** Readings at 1 s spacing from {@code from} s, then an evaluation after each; returns "transition@s" strings. */
    static List<String> feed(AlertEngine e, String sensor, double from, double... values) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            long ts = at(from + i);
            AlertEngine.Result r = e.onReading(new LiveValue(sensor, values[i], ts));
            r.events().forEach(x -> out.add(x.transition() + "@" + (x.ts() - T0) / 1000.0));
            e.evaluate(obs(ts + 500, Map.of(sensor, new LiveValue(sensor, values[i], ts)))).events()
                    .forEach(x -> out.add(x.transition() + "@" + (x.ts() - T0) / 1000.0));
        }
        return out;
    }

    static Observations obs(long now, Map<String, LiveValue> live) {
        Map<String, String> worker = Map.of("updated_at", Long.toString(now - 1000), "db", "ok");
        return new Observations(now, live, Map.of(1, now, 2, now, 3, now, 4, now), Map.of(),
                new Observations.Pipeline(true, 0, worker, 10, 0, 0, 0));
    }

    @Test
    void aBandFiresAfterItsHoldTimeAndNotForAShorterExcursion() {
        AlertEngine e = engine("{\"name\":\"co2_high\",\"kind\":\"band\",\"sensor\":\"co2_v\",\"max\":1500,\"for_s\":5}");
        // 4 s above (readings at 0..3), back at 4: pending then resolved without firing
        assertEquals(List.of("pending@0.0", "resolved@4.0"), feed(e, "co2_v", 0, 1600, 1600, 1600, 1600, 900));
        // above from 10 s: fires with the reading that completes 5 s (15.0), resolves at the reading back inside
        List<String> t = feed(e, "co2_v", 10, 1600, 1600, 1600, 1600, 1600, 1600, 1600, 900);
        assertEquals(List.of("pending@10.0", "firing@15.0", "resolved@17.0"), t);
        // with readings every 2 s the hold ends between two of them: the evaluation fires it
        AlertEngine e2 = engine("{\"name\":\"co2_high\",\"kind\":\"band\",\"sensor\":\"co2_v\",\"max\":1500,\"for_s\":5}");
        List<String> slow = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            e2.onReading(new LiveValue("co2_v", 1600, at(2 * k))).events().forEach(x -> slow.add(x.transition() + "@" + (x.ts() - T0) / 1000.0));
            for (double q : new double[] {2 * k + 0.5, 2 * k + 1.5}) {
                e2.evaluate(obs(at(q), Map.of())).events().forEach(x -> slow.add(x.transition() + "@" + (x.ts() - T0) / 1000.0));
            }
        }
        assertEquals(List.of("pending@0.0", "firing@5.5"), slow);
    }

    @Test
    void insideTheHysteresisAFiringBandNeitherResolvesNorFiresAgain() {
        AlertEngine e = engine("{\"name\":\"co2_high\",\"kind\":\"band\",\"sensor\":\"co2_v\",\"max\":1500,\"hysteresis\":100}");
        // 1450 and 1499 are inside [1400, 1500]: still firing; 1400 is out (<= max - hysteresis); 1450 does not fire again
        assertEquals(List.of("firing@0.0", "resolved@5.0"),
                feed(e, "co2_v", 0, 1600, 1450, 1600, 1499, 1450, 1400, 1450, 1480));
    }

    @Test
    void dayAndNightBandsFollowTheRoomsLightsInTheFacilityTimeZone() {
        AlertEngine e = engine("{\"name\":\"vpd_day\",\"kind\":\"band\",\"sensor\":\"vpd\",\"rooms\":[\"veg\"],\"schedule\":\"day\","
                + "\"max\":1.6},{\"name\":\"vpd_night\",\"kind\":\"band\",\"sensor\":\"vpd\",\"rooms\":[\"veg\"],"
                + "\"schedule\":\"night\",\"max\":1.0}");
        // 12:00 local: day; 1.3 kPa is fine by day
        assertEquals(List.of(), feed(e, "vpd_v", 0, 1.3));
        // 17:59:59 vs 18:00:00 local (lights off at 18:00 in Amsterdam, 16:00 UTC in June)
        long beforeOff = LocalDateTime.of(2026, 6, 1, 17, 59, 59).atZone(ZONE).toInstant().toEpochMilli();
        assertEquals(0, e.onReading(new LiveValue("vpd_v", 1.3, beforeOff)).events().size());
        AlertEngine.Result night = e.onReading(new LiveValue("vpd_v", 1.3, beforeOff + 1000));
        assertEquals(1, night.events().size());
        assertEquals("vpd_night:veg", night.events().get(0).alert().id());
        assertEquals("firing", night.events().get(0).transition());
        assertEquals(1.0, night.events().get(0).alert().threshold());
    }

    @Test
    void aStaleSensorAlertsOnceAndAFreshReadingResolvesIt() {
        AlertEngine e = engine("{\"name\":\"stale\",\"kind\":\"stale\",\"sensors\":[\"co2_v\"],\"after_s\":30}");
        e.onReading(new LiveValue("co2_v", 700, at(0)));
        assertEquals(0, e.evaluate(obs(at(30), Map.of())).events().size(), "30 s is not more than 30 s");
        List<AlertEvents.Event> f = e.evaluate(obs(at(30.5), Map.of())).events();
        assertEquals(1, f.size());
        assertEquals("firing", f.get(0).transition());
        assertEquals(at(30), f.get(0).alert().since());
        assertEquals(0, e.evaluate(obs(at(45), Map.of())).events().size(), "no second alert");
        List<AlertEvents.Event> r = e.onReading(new LiveValue("co2_v", 710, at(50))).events();
        assertEquals("resolved", r.get(0).transition());
        assertEquals(at(50), r.get(0).ts());
    }

    @Test
    void aSilentNodeIsOneAlertNotOnePerSensor() {
        AlertEngine e = engine("{\"name\":\"stale\",\"kind\":\"stale\",\"rooms\":[\"veg\"],\"after_s\":10},"
                + "{\"name\":\"silent_node\",\"kind\":\"silent_node\",\"nodes\":[3],\"after_s\":20}");
        for (String s : List.of("dry_bulb_v", "wet_bulb_v", "pressure_v", "co2_v", "secondary_temp_v", "secondary_rh_v", "rh_v", "vpd_v")) {
            e.onReading(new LiveValue(s, 1, at(0)));
        }
        List<String> ids = new ArrayList<>();
        for (int s = 1; s <= 30; s++) {
            Observations o = new Observations(at(s), Map.of(), Map.of(3, at(0)), Map.of(),
                    new Observations.Pipeline(true, 0, Map.of("updated_at", Long.toString(at(s))), 0, 0, 0, 0));
            e.evaluate(o).events().forEach(x -> ids.add(x.transition() + " " + x.alert().id() + "@" + (x.ts() - T0) / 1000));
        }
        assertEquals(List.of("firing silent_node:veg@21"), ids);
        // node 3 is back at 40 s with its PT100 first: the other sensors get their full 10 s to report again
        for (int s = 40; s <= 49; s++) {
            Observations o = new Observations(at(s), Map.of(), Map.of(3, at(s)), Map.of(),
                    new Observations.Pipeline(true, 0, Map.of("updated_at", Long.toString(at(s))), 0, 0, 0, 0), Map.of(3, at(40)));
            e.evaluate(o).events().forEach(x -> ids.add(x.transition() + " " + x.alert().id() + "@" + (x.ts() - T0) / 1000));
        }
        assertEquals(List.of("firing silent_node:veg@21", "resolved silent_node:veg@40"), ids);
    }

    @Test
    void faultBitsAndOutOfRangeAreTheirOwnAlertsAndSuppressStale() {
        AlertEngine e = engine("{\"name\":\"stale\",\"kind\":\"stale\",\"rooms\":[\"veg\"],\"after_s\":5},"
                + "{\"name\":\"faulted\",\"kind\":\"faulted\",\"rooms\":[\"veg\"]},"
                + "{\"name\":\"range\",\"kind\":\"out_of_range\",\"rooms\":[\"veg\"]}");
        FrameWatch w = new FrameWatch(AutomationConfigParserTest.PROFILE);
        // node 3 PT100 at 0 s: 25.00 / 20.00 °C, fine; from 1 s: 327.67 °C with status 0x01 (dry faulted, wet out of range)
        w.onFrame(CanFrame.standard(0x301, bytes("C4 09 D0 07 00 00 00 01"), at(0) * 1000));
        for (int s = 1; s <= 10; s++) {
            w.onFrame(CanFrame.standard(0x301, bytes("FF 7F FF 7F 01 00 00 0" + (s % 8)), at(s) * 1000));
        }
        e.onReading(new LiveValue("dry_bulb_v", 25, at(0)));
        e.onReading(new LiveValue("wet_bulb_v", 20, at(0)));
        List<String> got = new ArrayList<>();
        Observations o = new Observations(at(10.5), Map.of(), Map.of(3, at(10)), w.sensors(),
                new Observations.Pipeline(true, 0, Map.of("updated_at", Long.toString(at(10))), 0, 0, 0, 0));
        e.evaluate(o).events().forEach(x -> got.add(x.transition() + " " + x.alert().id() + " " + x.alert().kind()));
        assertEquals(List.of("firing faulted:dry_bulb_v faulted", "firing range:wet_bulb_v out_of_range"), got,
                "no stale alerts for the bulbs or rh/vpd: the faults explain them");
        assertEquals(at(1), e.active().stream().filter(a -> a.id().equals("faulted:dry_bulb_v")).findFirst().orElseThrow().since());
        w.onFrame(CanFrame.standard(0x301, bytes("C4 09 D0 07 00 00 00 03"), at(11) * 1000));
        // the worker publishes the node's readings again
        for (String s : List.of("dry_bulb_v", "wet_bulb_v", "pressure_v", "co2_v", "secondary_temp_v", "secondary_rh_v", "rh_v", "vpd_v")) {
            e.onReading(new LiveValue(s, 1, at(11)));
        }
        List<String> back = new ArrayList<>();
        e.evaluate(new Observations(at(11.5), Map.of(), Map.of(3, at(11)), w.sensors(),
                new Observations.Pipeline(true, 0, Map.of("updated_at", Long.toString(at(11))), 0, 0, 0, 0)))
                .events().forEach(x -> back.add(x.transition() + " " + x.alert().id() + "@" + (x.ts() - T0) / 1000));
        assertEquals(List.of("resolved faulted:dry_bulb_v@11", "resolved range:wet_bulb_v@11"), back);
    }

    @Test
    void redisUnreachableFiresAfterItsHoldFromTheFirstFailure() {
        AlertEngine e = engine("{\"name\":\"redis_unreachable\",\"kind\":\"pipeline\",\"check\":\"redis_unreachable\",\"for_s\":5,"
                + "\"severity\":\"critical\"}");
        List<String> got = new ArrayList<>();
        for (int s = 0; s <= 8; s++) {
            Observations.Pipeline p = s >= 2 && s <= 7 ? Observations.Pipeline.redisDown(at(2))
                    : new Observations.Pipeline(true, 0, Map.of(), 0, 0, 0, 0);
            e.evaluate(new Observations(at(s), Map.of(), Map.of(), Map.of(), p)).events()
                    .forEach(x -> got.add(x.transition() + "@" + (x.ts() - T0) / 1000));
        }
        assertEquals(List.of("pending@2", "firing@7", "resolved@8"), got);
    }

    @Test
    void aRestoredFiringAlertIsNotAnnouncedAgainAndRemindersFollowItsSchedule() {
        String rule = "{\"name\":\"co2_high\",\"kind\":\"band\",\"sensor\":\"co2_v\",\"max\":1500,\"reminder_h\":1}";
        AlertEngine first = engine(rule);
        AlertEvents.Event fired = first.onReading(new LiveValue("co2_v", 1600, at(0))).events().get(0);
        AlertEngine second = engine(rule);
        second.restore(List.of(fired.alert()));
        assertEquals(List.of(), feed(second, "co2_v", 1, 1600, 1700, 1650), "still firing after the restart: nothing new");
        assertEquals(0, second.evaluate(obs(at(3599), Map.of())).events().size());
        List<AlertEvents.Event> rem = second.evaluate(obs(at(3600), Map.of())).events();
        assertEquals("reminder", rem.get(0).transition());
        assertEquals(0, second.evaluate(obs(at(3601), Map.of())).events().size());
        AlertEvents.Event ack = second.acknowledge(new AlertAcks.Ack("1-0", "co2_high:co2_v", "anna", "fan fixed", at(3700)), at(3700));
        assertEquals("acknowledged", ack.transition());
        assertEquals("anna", ack.alert().ackedBy());
        assertEquals(0, second.evaluate(obs(at(3600 * 3), Map.of())).events().size(), "no reminders once acknowledged");
        assertNull(second.acknowledge(new AlertAcks.Ack("2-0", "nope", "anna", "", at(3800)), at(3800)));
        List<AlertEvents.Event> r = second.onReading(new LiveValue("co2_v", 900, at(3601 * 3))).events();
        assertEquals("resolved", r.get(0).transition());
        Alert resolved = r.get(0).alert();
        assertEquals("resolved", resolved.state());
        assertEquals(fired.alert().firedAt(), resolved.firedAt());
    }

    @Test
    void aBandCommandIsAnIntentForItsActuator() {
        AlertEngine e = AlertEngineTest.engineWithActuator();
        AlertEngine.Result r = e.onReading(new LiveValue("co2_v", 1600, at(0)));
        assertEquals(1, r.intents().size());
        CommandIntent i = r.intents().get(0);
        assertEquals("fan_v", i.actuator());
        assertEquals("on", i.command());
        assertEquals(List.of("co2_v"), i.inputs());
        assertTrue(e.onReading(new LiveValue("co2_v", 900, at(1))).intents().get(0).command().equals("off"));
    }

    static AlertEngine engineWithActuator() {
        AutomationConfig c = AutomationConfigParser.parse(AutomationConfigParserTest.FILE, "{\"actuators\":{\"fan_v\":"
                + "{\"min_on_s\":60,\"min_off_s\":30,\"max_per_minute\":2}},\"rules\":[{\"name\":\"co2_high\",\"kind\":\"band\","
                + "\"sensor\":\"co2_v\",\"max\":1500,\"command\":{\"actuator\":\"fan_v\",\"on_fire\":\"on\",\"on_resolve\":\"off\"}}]}",
                AutomationConfigParserTest.PROFILE);
        return new AlertEngine(c, Map.of(), T0);
    }

    static byte[] bytes(String hex) {
        String[] p = hex.split(" ");
        byte[] b = new byte[p.length];
        for (int i = 0; i < p.length; i++) {
            b[i] = (byte) Integer.parseInt(p[i], 16);
        }
        return b;
    }
}
