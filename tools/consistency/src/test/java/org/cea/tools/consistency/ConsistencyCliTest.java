package org.cea.tools.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsistencyCliTest {
    /** Output of one in-process run. */
    record Run(int exit, String out, String err) {
    }

    static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new ConsistencyCli(() -> 1_767_225_600_000L, System::nanoTime, ZoneId.of("UTC")).run(args,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, false);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpGoesToStdoutWithTheExitStatusesAndExitsZero() {
        Run r = run(Map.of(), "--help");
        assertEquals(0, r.exit());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("Usage: can-consistency "), r.out());
        assertTrue(r.out().contains("Exit status: 0 every closed minute equal, 1 a minute differs (each is named), 2 bad"
                + " flags,\n3 the comparison could not run"), r.out());
        assertTrue(r.out().contains("--settle"), r.out());
    }

    @Test
    void badFlagsSayWhatIsWrongOnStderrAndExitTwo() {
        for (String[] args : new String[][] {{"--rows", "x"}, {"--from", "2026-01-01", "--last", "1h"},
                {"--last", "1.5h"}, {"--from", "2026-01-02", "--to", "2026-01-01"}, {"--json", "--quiet"},
                {"--no-record", "--redis-url", "redis://h:1"}, {"--redis-url", "http://h"}, {"extra"},
                {"--legacy", "var/x.db", "--db-url", "jdbc:sqlite:var/../var/x.db"}, {"--rows", "-1"}}) {
            Run r = run(Map.of(), args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
            assertEquals("", r.out());
            assertTrue(r.err().startsWith("can-consistency: "), r.err());
            assertTrue(r.err().contains("Usage: can-consistency"), r.err());
        }
        assertTrue(run(Map.of(), "--from", "2026-01-02", "--to", "2026-01-01").err().startsWith(
                "can-consistency: --to must be after --from (whole minutes), were 2026-01-02T00:00:00Z and"
                        + " 2026-01-01T00:00:00Z\n"));
        assertTrue(run(Map.of(), "--legacy", "var/x.db", "--db-url", "jdbc:sqlite:var/../var/x.db").err().startsWith(
                "can-consistency: --legacy and --db-url name the same store: compare the scanner's legacy file with"
                        + " the worker's database\n"));
    }

    @Test
    void aMissingLegacyFileIsOneLineSayingWhatToDoAndExitThree() {
        Run r = run(Map.of("CEA_DB_URL", "/nonexistent/can_messages.db"), "--no-record", "--db-url", "/nonexistent/cea.db");
        assertEquals(3, r.exit(), r.err());
        assertEquals("can-consistency: SQLite file not found: /nonexistent/can_messages.db (a comparison never creates"
                + " one); nothing was compared: fix that and run can-consistency again\n", r.err());
        assertEquals("", r.out());
    }
}
