package org.cea.tools.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScannerCliTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();

    private int run(String... args) {
        return ScannerMain.run(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8), err, false);
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        assertEquals(0, run("--help"));
        assertTrue(out().contains("--source"), out());
        assertTrue(out().contains("--sim-speed"), out());
        assertEquals("", err());
    }

    @Test
    void aLegacyTargetThatIsTheWorkersDatabaseIsRefused() {
        java.util.Map<String, String> env = java.util.Map.of("DB_URL", "postgresql://cea_writer:pw@127.0.0.1:5432/cea_sensors",
                "LEGACY_DB_URL", "postgresql://cea:other@127.0.0.1/cea_sensors");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Cli().parse(new String[] {"--source", "sim", "--spool-dir", dir.toString()}, env, err));
        assertTrue(e.getMessage().startsWith("--db-url / LEGACY_DB_URL names the worker's database (DB_URL)"), e.getMessage());
        assertTrue(!e.getMessage().contains("pw") && !e.getMessage().contains("other"), e.getMessage());
        // the documented pairing (legacy SQLite file beside the worker's PostgreSQL) and --no-db are accepted
        assertEquals(dir.resolve("legacy.db").toString(), new Cli().parse(new String[] {"--source", "sim", "--spool-dir",
                dir.toString(), "--db-url", dir.resolve("legacy.db").toString()}, env, err).dbUrl());
        assertEquals(null, new Cli().parse(new String[] {"--source", "sim", "--no-db"}, env, err).dbUrl());
    }

    @Test
    void badFlagsExitTwoWithUsage() {
        assertEquals(2, run("--no-such-flag"));
        assertTrue(err().startsWith("can-scanner: no-such-flag is not a recognized option"), err());
        assertTrue(err().contains("usage: can-scanner"), err());
        errBytes.reset();
        assertEquals(2, run("--source", "tcp:1234"));
        assertTrue(err().contains("--source must be one of"), err());
        errBytes.reset();
        assertEquals(2, run("--speed", "fast"));
        assertTrue(err().contains("--speed must be a number > 0 or 'max', was 'fast'"), err());
        errBytes.reset();
        assertEquals(2, run("--no-stream", "--no-db"));
        assertTrue(err().contains("no sink"), err());
    }

    @Test
    void socketCanWithoutKernelSupportFailsWithOneClearLine() {
        int rc = run("--source", "socketcan:vcan0", "--no-db", "--spool-dir", dir.resolve("spool").toString());
        assertEquals(1, rc);
        String e = err().strip();
        assertEquals(1, e.lines().count(), e);
        // this host's kernel has no AF_CAN; a kernel with CAN but no vcan0 names the interface instead
        assertTrue(e.contains("socket(AF_CAN, SOCK_RAW, CAN_RAW) failed: Address family not supported by protocol"
                + " (errno 97); this kernel has no SocketCAN")
                || e.contains("socketcan:vcan0: no such CAN interface"), e);
    }

    @Test
    void unwritableSpoolDirFailsLoudly() throws Exception {
        Path file = dir.resolve("file");
        java.nio.file.Files.writeString(file, "x");
        int rc = run("--source", "sim", "--no-db", "--count", "1", "--spool-dir", file.resolve("spool").toString(),
                "--redis-url", "redis://127.0.0.1:1");
        assertEquals(1, rc);
        assertTrue(err().contains("spool " + file.resolve("spool")), err());
    }
}
