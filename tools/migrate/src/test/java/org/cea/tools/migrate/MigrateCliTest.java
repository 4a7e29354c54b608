package org.cea.tools.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.cea.tsdb.Store;
import org.cea.tsdb.TimescaleState;
import org.junit.jupiter.api.Test;

class MigrateCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new MigrateCli().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), false);
    }

    @Test
    void badFlagsPrintUsageOnStderrAndExit2() {
        assertEquals(2, run("--sqlite"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Usage: can-migrate"));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unknownFlagMissingTargetAndBadBatchAreUsageErrors() {
        assertEquals(2, run("--sqlite", "x.db", "--bogus"));
        assertEquals(2, run("--sqlite", "x.db", "--no-readings"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--target is required"));
        assertEquals(2, run("--sqlite", "x.db", "--target", "postgresql://h/db", "--no-readings", "--batch", "0"));
        assertEquals(2, run("--sqlite", "x.db", "--target", "postgresql://h/db", "--no-readings", "--batch", "ten"));
        assertEquals(2, run("--sqlite", "x.db", "--dry-run", "--verify", "--no-readings"));
    }

    @Test
    void helpGoesToStdoutAndExits0() {
        assertEquals(0, run("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--from-id") && help.contains("--dry-run") && help.contains("--batch"), help);
    }

    @Test
    void passwordNeverAppearsInMessages() {
        assertEquals(1, run("--sqlite", "/nonexistent.db", "--target", "postgresql://u:s3cret@127.0.0.1:1/db",
                "--no-readings"));
        assertFalse(err.toString(StandardCharsets.UTF_8).contains("s3cret"));
        assertEquals("postgresql://u:***@h/db", Store.maskPasswords("postgresql://u:s3cret@h/db"));
    }

    @Test
    void timescaleInstalledButNotPreloadedIsRecognised() {
        assertTrue(new TimescaleState("2.11.2", "").installedButNotLoaded());
        assertTrue(new TimescaleState("2.11.2", "pg_stat_statements").installedButNotLoaded());
        assertTrue(new TimescaleState("2.11.2", "pg_stat_statements, timescaledb").loaded());
        assertFalse(new TimescaleState(null, "").installedButNotLoaded());
    }
}
