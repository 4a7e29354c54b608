package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cea.testsupport.Processes;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same generated facility day ({@link FacilityDay}) in a SQLite file and in PostgreSQL: every
 * query answers the same, and the answers match values worked out by hand.
 */
class CrossBackendIT {
    private static final Instant DAY = FacilityDay.DAY;
    private static Path dir;
    private static Store sqlite;
    private static Store postgres;

    @BeforeAll
    static void load() {
        dir = Processes.tempDir("cea-tsdb-cross-");
        sqlite = Store.open(dir.resolve("can_data.db").toString());
        postgres = Store.open(TestServers.postgres().url(TestServers.newDatabase("cross")));
        FacilityDay.write(sqlite, 2000);
        FacilityDay.write(postgres, 2000);
    }

    @AfterAll
    static void close() {
        if (sqlite != null) {
            sqlite.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        Processes.deleteTree(dir);
    }

    private static Instant at(String hhmmss) {
        return Instant.parse("2024-03-10T" + hhmmss + "Z");
    }

    @Test
    void wholeDayOfCo2InAThousandPointsMatchesTheHandComputedBuckets() {
        // 2-minute buckets hold samples k = 12j .. 12j+11, whose k mod 60 runs over 12(j mod 5) .. +11
        List<HistoryPoint> expected = new ArrayList<>();
        for (int j = 0; j < 720; j++) {
            double min = 400 + 12 * (j % 5);
            expected.add(new HistoryPoint(DAY.plusSeconds(120L * j), min + 5.5, min, min + 11, 12));
        }
        assertEquals(expected, sqlite.history("co2_b", DAY, DAY.plusSeconds(86_400), 1000));
        assertEquals(expected, postgres.history("co2_b", DAY, DAY.plusSeconds(86_400), 1000));
    }

    @Test
    void oneHourOfDryBulbInSixtyPointsMatchesTheHandComputedBuckets() {
        // 06:00 is sample 2160 (2160 mod 120 = 0); minute i holds k mod 120 = 6i mod 120 .. +5
        List<HistoryPoint> expected = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            double min = 20 + 0.25 * ((6 * i) % 120);
            expected.add(new HistoryPoint(at("06:00:00").plusSeconds(60L * i), min + 0.625, min, min + 1.25, 6));
        }
        assertEquals(expected, sqlite.history("dry_bulb_f", at("06:00:00"), at("07:00:00"), 60));
        assertEquals(expected, postgres.history("dry_bulb_f", at("06:00:00"), at("07:00:00"), 60));
    }

    @Test
    void historiesAgreeAcrossBackendsForUnalignedRanges() {
        for (String sensor : List.of("rh_v", "vpd_v", "pressure_b", "water_temp")) {
            for (int points : new int[] {1, 7, 100, 1000}) {
                Instant from = at("03:17:23.5");
                Instant to = at("21:02:00");
                assertClose(sqlite.history(sensor, from, to, points), postgres.history(sensor, from, to, points),
                        sensor + " in " + points + " points");
            }
        }
    }

    private static void assertClose(List<HistoryPoint> a, List<HistoryPoint> b, String what) {
        assertEquals(a.size(), b.size(), what);
        for (int i = 0; i < a.size(); i++) {
            HistoryPoint x = a.get(i);
            HistoryPoint y = b.get(i);
            assertEquals(x.bucket(), y.bucket(), what);
            assertEquals(x.count(), y.count(), what);
            assertEquals(x.min(), y.min(), what);
            assertEquals(x.max(), y.max(), what);
            // SQLite sums with compensation, PostgreSQL plainly: means agree to about 1e-14 relative
            assertEquals(x.avg(), y.avg(), Math.abs(x.avg()) * 1e-12, what);
        }
    }

    @Test
    void countsPerTypeOverAWindowMatchByHand() {
        // 06:00-12:00 = 360 minutes: PT100/BARO/SCD30 from 3 nodes, WATER/LAB from the lab node,
        // 36 heartbeats from each of 4 nodes, 6 hours of one unknown standard + one unknown extended frame
        Map<String, Long> expected = Map.of("PT100", 1080L, "BARO", 1080L, "SCD30", 1080L, "WATER", 360L, "LAB", 360L,
                "HEARTBEAT", 144L, Store.UNKNOWN_TYPE, 12L);
        assertEquals(expected, sqlite.countsByType(at("06:00:00"), at("12:00:00")));
        assertEquals(expected, postgres.countsByType(at("06:00:00"), at("12:00:00")));
    }

    @Test
    void latestValuePerSensorMatchesByHand() {
        // last sample k = 8639 at 23:59:50
        long t = Times.micros(at("23:59:50"), "t");
        Map<String, ReadingRow> pg = postgres.latestPerSensor();
        assertEquals(sqlite.latestPerSensor(), pg);
        assertEquals(new ReadingRow(t, "co2_b", 459), pg.get("co2_b"));
        assertEquals(new ReadingRow(t, "dry_bulb_f", 20 + 0.25 * 119), pg.get("dry_bulb_f"));
        assertEquals(new ReadingRow(t, "water_temp", 19.5), pg.get("water_temp"));
        assertEquals(6, pg.size());
    }

    @Test
    void recentMessagesAgreeAcrossBackends() {
        for (MessageQuery q : List.of(MessageQuery.latest(50), MessageQuery.latest(20).withType("HEARTBEAT"),
                MessageQuery.latest(20).withNode(4), MessageQuery.latest(30).withCanId(0x123),
                MessageQuery.latest(25).withAfterId(1000L), MessageQuery.latest(5).withNode(2).withType("BARO"))) {
            List<StoredMessage> a = sqlite.recentMessages(q);
            List<StoredMessage> b = postgres.recentMessages(q);
            assertEquals(normalised(a), normalised(b), q.toString());
        }
        List<StoredMessage> ext = postgres.recentMessages(MessageQuery.latest(30).withCanId(0x123));
        assertEquals(24, ext.size());
        assertEquals(true, ext.get(0).extended());
    }

    /** Rows with decoded JSON parsed (JSONB re-renders it); ids are compared too, both count from 1. */
    private static List<Map<String, Object>> normalised(List<StoredMessage> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (StoredMessage m : rows) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", m.id());
            r.put("ts", m.timestampMicros());
            r.put("can", m.canId());
            r.put("ext", m.extended());
            r.put("node", m.nodeId());
            r.put("type", m.messageType());
            r.put("dlc", m.dlc());
            r.put("raw", m.rawData());
            r.put("json", m.decodedJson() == null ? null : JsonParser.parseString(m.decodedJson()));
            r.put("source", m.sourceId());
            out.add(r);
        }
        return out;
    }
}
