package org.cea.tools.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MonitorMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return MonitorMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpExitsZeroAndNamesTheFlags() {
        assertEquals(0, run("redis", "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--redis-url") && help.contains("6390") && help.contains("--once"), help);
        assertEquals(0, run("db", "-h"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--db-url"));
    }

    @Test
    void badFlagsExitTwoWithOneLine() {
        assertEquals(2, run("db", "--limit", "0"));
        assertEquals("monitor_can_db: --limit must be 1..1000, was 0 (see --help)", err().strip());
        err.reset();
        assertEquals(2, run("redis", "--redis-url", "http://x"));
        assertTrue(err().startsWith("monitor_redis_backend: redis URL must start with redis://"), err());
        err.reset();
        assertEquals(2, run("db", "--interval", "0.1"));
        assertEquals(2, run("db", "--db-url", "mysql://u:secret@h/db"));
        assertTrue(err().contains("mysql://u:***@h/db") && !err().contains("secret"), err());
        assertEquals(2, run("db", "extra"));
        assertEquals(2, run("nope"));
        assertEquals(2, run());
    }
}
