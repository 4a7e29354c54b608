package org.cea.tools.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cea.candecode.CanFrame;
import org.cea.redisio.StreamSchema;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The scanner as a process against a private redis-server (each test kills or restarts it) and a
 * real SQLite file. Expected payloads are the simulator's frame sequence for seed 1, which is
 * deterministic, so "every frame exactly once, in order" is checked entry by entry.
 */
class ScannerIT {
    private RedisServer redis;
    private Path dir;

    @BeforeEach
    void start() {
        redis = RedisServer.start(true);
        dir = Processes.tempDir("cea-scanner-it-");
    }

    @AfterEach
    void stop() {
        redis.close();
        Processes.deleteTree(dir);
    }

    private List<String> args(String... extra) {
        List<String> a = new ArrayList<>(List.of("--redis-url", redis.url(), "--spool-dir", dir.resolve("spool").toString(),
                "--stats-interval", "1"));
        a.addAll(List.of(extra));
        return a;
    }

    /** The first {@code n} frames the simulator sends with default settings. */
    static List<CanFrame> simFrames(int n) {
        FacilitySimulator sim = new FacilitySimulator(FacilitySimulator.Settings.defaults());
        List<CanFrame> out = new ArrayList<>(n);
        while (out.size() < n) {
            out.addAll(sim.nextRound(0));
        }
        return out.subList(0, n);
    }

    private List<StreamEntry> stream() {
        try (JedisPooled j = new JedisPooled(redis.url())) {
            return j.xrange(StreamSchema.STREAM, (StreamEntryID) null, (StreamEntryID) null);
        }
    }

    /** Entries {@code from..from+expected.size()} carry exactly the expected frames' id, data, dlc. */
    private static void assertFrames(List<CanFrame> expected, List<StreamEntry> entries, int from) {
        for (int i = 0; i < expected.size(); i++) {
            Map<String, String> f = entries.get(from + i).getFields();
            CanFrame e = expected.get(i);
            String where = "entry " + (from + i) + " " + entries.get(from + i).getID();
            assertEquals(e.idHex(), f.get("id"), where);
            assertEquals(e.dataHex(), f.get("data"), where);
            assertEquals("8", f.get("dlc"), where);
            assertEquals(Long.parseLong(f.get("ts_us")) / 1000, Long.parseLong(f.get("ts")), where);
        }
    }

    private static long dbCount(Path db) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM can_messages")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("no such table")) {
                return 0;
            }
            throw new IllegalStateException("counting rows in " + db, e);
        }
    }

    @Test
    void simulatorFramesBecomeStreamEntriesAndDbRows() {
        Path db = dir.resolve("legacy.db");
        long before = System.currentTimeMillis();
        try (ScannerProcess p = ScannerProcess.start(dir, "scan", args("--source", "sim", "--sim-speed", "max",
                "--count", "1500", "--quiet", "--db-url", db.toString()))) {
            assertEquals(0, p.await(60), p.stderrText());
        }
        List<StreamEntry> entries = stream();
        assertEquals(1500, entries.size());
        assertFrames(simFrames(1500), entries, 0);
        long ts = Long.parseLong(entries.get(0).getFields().get("ts"));
        assertTrue(ts >= before && ts <= System.currentTimeMillis(), "ts " + ts + " is the reception time");
        assertEquals(1500, dbCount(db));
    }

    @Test
    void aLegacyTargetTheWorkerWritesIsRefusedBeforeAnyFrameIsStoredTwice() {
        Path db = dir.resolve("cea.db");
        try (org.cea.tsdb.Store worker = org.cea.tsdb.Store.open(db.toString())) {
            // the worker's write: a message carrying its can:raw entry id
            worker.writeBatch(List.of(new org.cea.tsdb.MessageRow("1710028800000-0", 1_710_028_800_000_000L, 0x101, false, 1,
                    "PT100", 8, "0B 09 1C 07 00 00 00 01", "{}")), List.of());
        }
        try (ScannerProcess p = ScannerProcess.start(dir, "scan", args("--source", "sim", "--sim-speed", "max",
                "--count", "100", "--quiet", "--db-url", db.toString()))) {
            assertEquals(1, p.await(60), p.stderrText());
            String err = p.stderrText();
            assertTrue(err.contains("holds rows the worker wrote from the stream: it is the worker's database"), err);
            assertTrue(!err.contains("\tat org."), err);
        }
        assertEquals(1, dbCount(db), "nothing written by the refused legacy path");
        assertEquals(0, stream().size(), "refused at start, before the source ran");
    }

    @Test
    void redisKilledMidRunAndRestartedTenSecondsLaterLosesNothing() {
        Path db = dir.resolve("legacy.db");
        int n = 15 * 20 * 18; // 18 s at 20 simulated seconds per second
        try (ScannerProcess p = ScannerProcess.start(dir, "scan", args("--source", "sim", "--sim-speed", "20",
                "--count", Integer.toString(n), "--quiet", "--db-url", db.toString()))) {
            Processes.sleep(3_000);
            redis.kill9();
            Processes.sleep(1_500);
            long dbAtOutageStart = dbCount(db);
            Processes.sleep(8_500);
            long dbAtOutageEnd = dbCount(db);
            redis.startProcess();
            assertEquals(0, p.await(90), p.stderrText());
            assertTrue(dbAtOutageEnd > dbAtOutageStart + 1000, "DB path kept writing while Redis was down: "
                    + dbAtOutageStart + " -> " + dbAtOutageEnd);
            assertTrue(p.stderrText().contains("spooling to"), p.stderrText());
        }
        List<StreamEntry> entries = stream();
        assertEquals(n, entries.size(), "every frame exactly once");
        assertFrames(simFrames(n), entries, 0);
        assertEquals(n, dbCount(db));
    }

    @Test
    void scannerKilledWhileSpoolingReplaysTheSpoolOnRestart() {
        redis.kill9();
        int printed;
        try (ScannerProcess p = ScannerProcess.start(dir, "first", args("--source", "sim", "--sim-speed", "20",
                "--no-db"))) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (p.stdoutLines().size() < 600 && System.nanoTime() < deadline) {
                Processes.sleep(50);
            }
            p.process.destroyForcibly();
            p.await(10);
            printed = p.stdoutLines().size();
        }
        assertTrue(printed >= 600, "frames read before the kill: " + printed);
        redis.startProcess();
        try (ScannerProcess p = ScannerProcess.start(dir, "second", args("--source", "sim", "--sim-speed", "20",
                "--count", "150", "--quiet", "--no-db"))) {
            assertEquals(0, p.await(60), p.stderrText());
        }
        List<StreamEntry> entries = stream();
        int spooled = entries.size() - 150;
        int lost = printed - spooled;
        System.out.println("kill -9 while spooling: " + printed + " frames read, " + spooled + " replayed from the spool, "
                + lost + " lost (bound: one batch, --batch-size 256 / --flush-ms 5)");
        assertTrue(lost >= 0 && lost <= 256, "lost " + lost + " of " + printed);
        assertFrames(simFrames(spooled), entries, 0);
        assertFrames(simFrames(150), entries, spooled);
    }

    @Test
    void sigtermFlushesBothPathsAndExitsZeroWithinFiveSeconds() {
        Path db = dir.resolve("legacy.db");
        try (ScannerProcess p = ScannerProcess.start(dir, "scan", args("--source", "sim", "--sim-speed", "50",
                "--db-url", db.toString()))) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (p.stdoutLines().size() < 1500 && System.nanoTime() < deadline) {
                Processes.sleep(50);
            }
            long t0 = System.nanoTime();
            p.process.destroy();
            int rc = p.await(30);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(0, rc, p.stderrText());
            assertTrue(ms < 5_000, "exit took " + ms + " ms");
            int read = p.stdoutLines().size();
            assertEquals(read, stream().size(), "stream has every frame read");
            assertEquals(read, dbCount(db), "DB has every frame read");
        }
    }

    @Test
    void candumpReplayAtMaxSpeedKeepsLoggedTimestamps() throws Exception {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            log.append(String.format("(1734001123.%06d) can0 %03X#%02X00FF%02X%n", i * 100, 0x100 + i % 16, i & 0xFF, i >> 8));
        }
        log.append("this line is not candump\n");
        Path file = dir.resolve("in.log");
        java.nio.file.Files.writeString(file, log);
        try (ScannerProcess p = ScannerProcess.start(dir, "scan", args("--source", "candump:" + file, "--speed", "max",
                "--quiet", "--no-db"))) {
            assertEquals(0, p.await(60), p.stderrText());
            assertTrue(p.stderrText().contains("source errors 1"), p.stderrText());
        }
        List<StreamEntry> entries = stream();
        assertEquals(2000, entries.size());
        for (int i = 0; i < 2000; i++) {
            Map<String, String> f = entries.get(i).getFields();
            assertEquals(String.format("0x%03X", 0x100 + i % 16), f.get("id"));
            assertEquals(String.format("%02X 00 FF %02X", i & 0xFF, i >> 8), f.get("data"));
            assertEquals(Long.toString(1_734_001_123_000_000L + i * 100L), f.get("ts_us"));
        }
    }

    /**
     * Issue 17 item 3: a UTF-8 comment at line 11 ended the replay after 10 frames (exit 0,
     * "source errors 0"), and a 100 MB line was an OutOfMemoryError at -Xmx96m. Both are bad lines
     * now: named file:line, counted, and the replay carries on.
     */
    @Test
    void candumpReplaySkipsANonAsciiLineAndAHugeLineAndCarriesOn() throws Exception {
        Path file = dir.resolve("bad.log");
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(file))) {
            for (int i = 0; i < 2000; i++) {
                if (i == 10) {
                    out.write("# température\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                if (i == 1000) {
                    byte[] chunk = "0".repeat(1 << 20).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    out.write("(1734001123.000000) can0 123#".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    for (int k = 0; k < 100; k++) {
                        out.write(chunk);
                    }
                    out.write('\n');
                }
                out.write(String.format("(1734001123.%06d) can0 %03X#%02X00FF%02X%n", i * 100, 0x100 + i % 16, i & 0xFF,
                        i >> 8).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
        try (ScannerProcess p = ScannerProcess.start(dir, "scan", args("--source", "candump:" + file, "--speed", "max",
                "--quiet", "--no-db"))) {
            assertEquals(0, p.await(120), p.stderrText());
            String err = p.stderrText();
            assertTrue(err.contains("source errors 2"), err);
            assertTrue(err.contains(file + ":11: skipped bad line"), err);
            assertTrue(err.contains(file + ":1002: skipped bad line"), err);
            assertTrue(err.contains("longer than 4096 bytes"), err);
        }
        List<StreamEntry> entries = stream();
        assertEquals(2000, entries.size());
        for (int i = 0; i < 2000; i++) {
            assertEquals(String.format("%02X 00 FF %02X", i & 0xFF, i >> 8), entries.get(i).getFields().get("data"));
        }
    }
}
