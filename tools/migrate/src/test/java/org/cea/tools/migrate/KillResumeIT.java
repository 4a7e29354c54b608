package org.cea.tools.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.Processes;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** can-migrate as a separate process, killed with SIGKILL half-way, then run again. */
class KillResumeIT {
    private static final long ROWS = 200_000;

    @TempDir
    Path tmp;

    /** The tool in its own JVM, on this test's class path, with the wrapper's small heap. */
    private Process start(String url, Path file, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                MigrateMain.class.getName(), "--sqlite", file.toString(), "--target", url, "--no-readings",
                "--batch", "4000"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static long checkpoint(Connection c) {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT last_id FROM migration_checkpoint")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException notYetCreated) {
            return 0;
        }
    }

    @Test
    void killedHalfWayThenRerunEndsWithEveryRowOnceAndVerifyPassing() throws Exception {
        Path file = tmp.resolve("legacy.db");
        LegacyDb.create(file, LegacyDb.STRICT_DDL, ROWS);
        PostgresCluster pg = TestServers.postgres();
        String db = TestServers.newDatabase("mig_kill");

        Process first = start(pg.url(db), file, tmp.resolve("first.log"));
        long reached = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(db))) {
            c.setAutoCommit(true);
            while (reached < ROWS / 3 && first.isAlive() && System.nanoTime() < deadline) {
                Processes.sleep(20);
                reached = checkpoint(c);
            }
        }
        assertTrue(first.isAlive(), "the first run ended before it could be killed:\n" + Files.readString(tmp.resolve("first.log")));
        Processes.killTree(first.pid());
        assertEquals(137, first.waitFor(), "killed with SIGKILL (128 + 9)");
        long atKill = Long.parseLong(pg.psql(db, "SELECT last_id FROM migration_checkpoint"));
        assertTrue(atKill >= ROWS / 3 && atKill < ROWS, "killed half-way, checkpoint at " + atKill);
        // rows of the batch in flight were rolled back with their checkpoint
        assertEquals(atKill + "|" + atKill, pg.psql(db, "SELECT count(*), coalesce(max(id), 0) FROM can_messages"));

        Process second = start(pg.url(db), file, tmp.resolve("second.log"));
        assertTrue(second.waitFor(120, TimeUnit.SECONDS), "second run did not finish");
        String log = Files.readString(tmp.resolve("second.log"), StandardCharsets.UTF_8);
        assertEquals(0, second.exitValue(), log);
        assertTrue(log.contains("resuming: checkpoint at id " + atKill), log);
        assertTrue(log.contains("VERIFY OK"), log);
        assertEquals(ROWS + "|" + ROWS + "|0", pg.psql(db, "SELECT count(*), count(DISTINCT id), ("
                + LegacyDb.EXPECTED_MISMATCHES_SQL.replace("$GEN", "true") + ") FROM can_messages"));
    }
}
