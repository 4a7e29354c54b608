package org.cea.tools.cliit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM (systemd's stop) ends each long-running service through the shared idiom with exit 0. */
class SigtermIT {
    @Test
    void workerStopsWithExit0(@TempDir Path dir) throws Exception {
        RedisServer redis = TestServers.redis();
        try (Bin.Started w = Bin.start("can-worker", "--db-url", dir.resolve("w.db").toString(), "--redis-url",
                redis.url(), "--group", "sigterm-it")) {
            w.awaitErr("worker started", 60);
            assertEquals(0, w.terminate(30), w.err());
        }
    }

    @Test
    void apiStopsWithExit0(@TempDir Path dir) throws Exception {
        try (Bin.Started a = Bin.start("can-api", "--listen", "127.0.0.1:" + Processes.freePort(), "--db-url",
                dir.resolve("a.db").toString(), "--redis-url", TestServers.redis().url())) {
            a.awaitErr("can-api: dashboard at", 60);
            assertEquals(0, a.terminate(30), a.err());
        }
    }

    @Test
    void automationStopsWithExit0() throws Exception {
        try (Bin.Started a = Bin.start("cea-automation", "--redis-url", TestServers.redis().url(), "--metrics-listen",
                "off", "--consumer", "sigterm-it")) {
            a.awaitErr("cea-automation started", 60);
            assertEquals(0, a.terminate(30), a.err());
        }
    }

    @Test
    void actuatorStopsWithExit0() throws Exception {
        try (Bin.Started a = Bin.start("cea-actuator", "--dry-run", "--redis-url", TestServers.redis().url(),
                "--consumer", "sigterm-it")) {
            Processes.sleep(3_000);
            assertEquals(0, a.terminate(30), a.err());
        }
    }

    @Test
    void scannerStopsWithExit0(@TempDir Path dir) throws Exception {
        try (RedisServer redis = RedisServer.start(false);
             Bin.Started s = Bin.start("can-scanner", "--source", "sim", "--quiet", "--no-db", "--redis-url",
                     redis.url(), "--spool-dir", dir.toString())) {
            s.awaitErr("reading sim", 60);
            assertEquals(0, s.terminate(30), s.err());
        }
    }
}
