package org.cea.tools.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;

class WorkerMainTest {
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void unknownFlagPrintsUsageAndExitsTwo() {
        assertEquals(2, WorkerMain.run(new String[] {"--bogus"}, err));
        assertTrue(err().contains("bogus"), err());
        assertTrue(err().contains("usage: can-worker"), err());
    }

    @Test
    void batchOutOfRangeNamesTheLimit() {
        assertEquals(2, WorkerMain.run(new String[] {"--db-url", "x.db", "--batch", "0"}, err));
        assertTrue(err().contains("batchSize must be 1..100000, was 0"), err());
    }

    @Test
    void badRedisUrlIsAFlagError() {
        assertEquals(2, WorkerMain.run(new String[] {"--db-url", "x.db", "--redis-url", "http://x"}, err));
        assertTrue(err().contains("redis URL must start with redis://"), err());
    }

    @Test
    void missingDbcFileIsFatalWithAHint() {
        String etc = TestServers.projectRoot().resolve("etc").toString();
        assertEquals(1, WorkerMain.run(new String[] {"--db-url", "x.db", "--dbc", "/nonexistent/cea.dbc",
            "--facility", etc + "/facility.json"}, err));
        assertTrue(err().contains("--facility/--dbc"), err());
    }
}
