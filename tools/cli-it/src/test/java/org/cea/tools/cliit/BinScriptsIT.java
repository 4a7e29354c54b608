package org.cea.tools.cliit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cea.redisio.ServiceFailures;
import org.cea.testsupport.RedisServer;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every script in bin/ answers --help (stdout, exit 0) and rejects an unknown flag (stderr, exit 2). */
class BinScriptsIT {
    /** Nothing a script might reach by default: no Redis, no database of the host. */
    private static Map<String, String> isolated(Path dir) {
        return Map.of("REDIS_URL", "redis://127.0.0.1:1", "CEA_FAILURE_LOG", dir.resolve("failures.log").toString(),
                "CEA_RUN_DIR", dir.resolve("run").toString());
    }

    @Test
    void everyScriptAnswersHelpOnStdoutWithStatus0(@TempDir Path dir) {
        List<String> scripts = Bin.scripts();
        assertTrue(scripts.size() >= 14, "bin/ scripts: " + scripts);
        List<String> wrong = new ArrayList<>();
        for (String s : scripts) {
            Bin.Run r = Bin.run(s, isolated(dir), 60, "--help");
            if (r.exit() != 0 || r.out().isBlank() || !r.err().isEmpty()) {
                wrong.add(r.toString());
            }
        }
        assertEquals(List.of(), wrong, "scripts whose --help is not usage on stdout with status 0");
    }

    @Test
    void everyScriptRejectsAnUnknownFlagOnStderrWithStatus2(@TempDir Path dir) {
        List<String> wrong = new ArrayList<>();
        for (String s : Bin.scripts()) {
            Bin.Run r = Bin.run(s, isolated(dir), 60, "--no-such-flag");
            if (r.exit() != 2 || !r.out().isEmpty() || r.err().isBlank() || r.hasStackTrace()) {
                wrong.add(r.toString());
            }
        }
        assertEquals(List.of(), wrong, "scripts that do not reject --no-such-flag on stderr with status 2");
    }

    @Test
    void noScriptsHelpShowsAPasswordFromTheEnvironment(@TempDir Path dir) {
        // --help prints every flag's default: a default taken from the environment would print its password
        Map<String, String> env = new java.util.HashMap<>(isolated(dir));
        env.put("REDIS_URL", "redis://cea-x:redis-pw-in-env@127.0.0.1:1");
        env.put("DB_URL", "postgresql://cea_writer:db-pw-in-env@127.0.0.1:1/cea_sensors");
        env.put("DB_URL_READER", "postgresql://cea_reader:reader-pw-in-env@127.0.0.1:1/cea_sensors");
        env.put("LEGACY_DB_URL", "postgresql://legacy:legacy-pw-in-env@127.0.0.1:1/x");
        List<String> wrong = new ArrayList<>();
        for (String s : Bin.scripts()) {
            Bin.Run r = Bin.run(s, env, 60, "--help");
            if ((r.out() + r.err()).contains("-pw-in-env")) {
                wrong.add(r.toString());
            }
        }
        assertEquals(List.of(), wrong, "scripts whose --help shows a password from the environment");
    }

    @Test
    void failureHandlerHelpRecordsNoFailure(@TempDir Path dir) {
        RedisServer redis = TestServers.redis();
        redis.command("DEL " + ServiceFailures.KEY);
        Path log = dir.resolve("failures.log");
        Bin.Run r = Bin.run("service_error_handler.sh", Map.of("REDIS_URL", redis.url(), "CEA_FAILURE_LOG",
                log.toString()), 30, "--help");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("Usage: service_error_handler.sh UNIT"), r.toString());
        assertFalse(Files.exists(log), "a failure was recorded in " + log);
        assertEquals(":0", redis.command("LLEN " + ServiceFailures.KEY).trim(), "a failure was pushed to service:failures");
    }

    @Test
    void failureHandlerWritesTheListLibRedisioDefines() throws Exception {
        // a shell script cannot read ServiceFailures: its one definition of the key and the cap must agree
        String script = Files.readString(Bin.dir().resolve("service_error_handler.sh"));
        String line = "failures_key=" + ServiceFailures.KEY + " failures_max=" + ServiceFailures.MAX_ENTRIES;
        assertTrue(script.contains(line), "bin/service_error_handler.sh does not set '" + line + "'");
        assertEquals(2, script.split("\\$failures_key", -1).length - 1, "LPUSH and LTRIM both use $failures_key");
    }
}
