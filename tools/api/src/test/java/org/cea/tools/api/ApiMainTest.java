package org.cea.tools.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ApiMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ApiMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        assertEquals(0, run("--help"));
        String o = out.toString(StandardCharsets.UTF_8);
        assertTrue(o.startsWith("usage: can-api"), o);
        assertTrue(o.contains("--listen") && o.contains("--redis-url") && o.contains("--db-url") && o.contains("--facility"), o);
    }

    @Test
    void badFlagsExitTwoWithAReason() {
        assertEquals(2, run("--listen", "localhost", "--db-url", "jdbc:sqlite:x.db"));
        assertTrue(err().startsWith("can-api: --listen must be HOST:PORT (e.g. 127.0.0.1:8000), was 'localhost'"), err());
        err.reset();
        assertEquals(2, run("--listen", "127.0.0.1:99999", "--db-url", "jdbc:sqlite:x.db"));
        assertTrue(err().startsWith("can-api: --listen port must be 0..65535, was 99999"), err());
        err.reset();
        assertEquals(2, run("--redis-url", "http://x", "--db-url", "jdbc:sqlite:x.db"));
        assertTrue(err().contains("redis URL must start with redis:// or rediss://"), err());
        err.reset();
        assertEquals(2, run("--no-such-flag"));
        assertTrue(err().contains("no-such-flag"), err());
    }

    @Test
    void helpShowsTheAccessOptions() {
        assertEquals(0, run("--help"));
        String o = out.toString(StandardCharsets.UTF_8);
        assertTrue(o.contains("--allowed-hosts") && o.contains("--token-file") && o.contains("--allow-no-token")
                && o.contains("API_TOKEN"), o);
    }

    @Test
    void aNonLoopbackListenAddressWithoutATokenDoesNotStart() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("API_TOKEN") == null && System.getenv("API_TOKEN_FILE") == null
                && System.getenv("API_ALLOW_NO_TOKEN") == null, "the environment sets an API token");
        assertEquals(2, run("--listen", "0.0.0.0:0", "--db-url", "jdbc:sqlite:x.db"));
        assertTrue(err().startsWith("can-api: --listen 0.0.0.0 is not a loopback address and no token is set:"), err());
    }

    @Test
    void maskedDatabasePasswords() {
        assertEquals("postgresql://cea_reader:***@db:5432/cea_sensors",
                ApiConfig.maskPassword("postgresql://cea_reader:s3cret@db:5432/cea_sensors"));
        assertEquals("jdbc:postgresql://db/cea?user=r&password=***",
                ApiConfig.maskPassword("jdbc:postgresql://db/cea?user=r&password=s3cret"));
    }
}
