package org.cea.tools.cliit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.AccessControlLogEntry;
import redis.clients.jedis.util.SafeEncoder;

/**
 * The Redis ACL users (etc/redis-users.conf via bin/cea-redis-auth) on a real redis-server: what each
 * service user may not do is refused (NOPERM), and the real tools, each run as its own user with only
 * REDIS_&lt;SERVICE&gt;_PASSWORD in its environment and a REDIS_URL without credentials, work: scanner
 * (simulator) → worker → SQLite, can-api, cea-automation, cea-actuator, the Redis monitor and the
 * failure handler — with an empty ACL LOG at the end, so no command any of them issued was refused.
 */
class PipelineAclIT {
    private static final String ADMIN = "admin-pw-1";
    private static final Map<String, String> PASSWORDS = Map.of("scanner", "scan-pw-2", "worker", "work-pw-3", "api",
            "api-pw-4", "automation", "auto-pw-5", "monitor", "mon-pw-6");
    private static final List<String> DANGEROUS = List.of("FLUSHALL", "FLUSHDB", "CONFIG GET maxmemory", "DEBUG SLEEP 0",
            "KEYS *", "SCAN 0", "SHUTDOWN NOSAVE", "ACL LIST", "MONITOR", "SAVE", "BGREWRITEAOF", "SWAPDB 0 1",
            "DEL can:raw", "SCRIPT FLUSH");

    @TempDir
    static Path dir;
    private static RedisServer redis;

    @BeforeAll
    static void startRedisWithTheUsers() throws IOException {
        StringBuilder env = new StringBuilder("REDIS_URL=redis://127.0.0.1:6379\nREDIS_PASSWORD=" + ADMIN + "\n");
        PASSWORDS.forEach((s, pw) -> env.append("REDIS_").append(s.toUpperCase()).append("_PASSWORD=").append(pw).append('\n'));
        Path envFile = Files.writeString(dir.resolve("cea.env"), env);
        Path users = dir.resolve("cea-auth.conf");
        Bin.Run r = Bin.run("cea-redis-auth", Map.of("CEA_ENV_FILE", envFile.toString()), 30, users.toString());
        assertEquals(0, r.exit(), r.toString());
        String written = Files.readString(users);
        PASSWORDS.values().forEach(pw -> assertTrue(!written.contains(pw), "plain password in " + users));
        redis = RedisServer.start(false, users);
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    private static Jedis as(String user, String password) {
        return new Jedis(new HostAndPort("127.0.0.1", redis.port()),
                DefaultJedisClientConfig.builder().user(user).password(password).socketTimeoutMillis(5_000).build());
    }

    private static Jedis service(String service) {
        return as("cea-" + service, PASSWORDS.get(service));
    }

    private static Jedis admin() {
        return as(null, ADMIN);
    }

    private static void refused(Jedis j, String command) {
        String[] parts = command.split(" ");
        JedisDataException e = assertThrows(JedisDataException.class, () -> j.sendCommand(
                () -> SafeEncoder.encode(parts[0]),
                java.util.Arrays.copyOfRange(parts, 1, parts.length)), command + " was allowed");
        // DEBUG is refused to everyone by enable-debug-command before the ACL is asked
        assertTrue(e.getMessage().startsWith("NOPERM") || e.getMessage().startsWith("ERR DEBUG command not allowed"),
                command + ": " + e.getMessage());
    }

    private static Map<String, String> envOf(String service) {
        Map<String, String> env = new HashMap<>();
        env.put("REDIS_URL", "redis://127.0.0.1:" + redis.port());
        env.put("REDIS_" + service.toUpperCase() + "_PASSWORD", PASSWORDS.get(service));
        return env;
    }

    @Test
    void scannerUserMayOnlyAddToCanRawAndWriteItsStatus() {
        try (Jedis j = service("scanner")) {
            j.sendCommand(Protocol.Command.XADD, "can:raw", "*", "id", "0x101", "data", "", "ts", "1",
                    "dlc", "0");
            j.hset("scanner:status", "updated_at", "1");
            refused(j, "XADD can:other * a 1");
            refused(j, "XADD sensor:updates * a 1");
            refused(j, "SET sensor:x 1");
            refused(j, "HSET worker:status processed 1");
            refused(j, "PUBLISH sensor:updates {}");
            refused(j, "XREADGROUP GROUP g c STREAMS can:raw >");
            refused(j, "XTRIM can:raw MAXLEN 0");
            DANGEROUS.forEach(c -> refused(j, c));
        }
    }

    @Test
    void apiUserReadsAndSubscribesButWritesOnlyAcknowledgementRequests() {
        try (Jedis j = service("api")) {
            j.get("sensor:co2_v");
            j.xlen("can:raw");
            j.sendCommand(Protocol.Command.XADD, "alerts:acks", "*", "id", "x", "by", "it");
            refused(j, "XADD can:raw * id 0x101");
            refused(j, "SET sensor:x 1");
            refused(j, "HSET worker:status processed 1");
            refused(j, "PUBLISH sensor:updates {}");
            refused(j, "XADD alerts:events * a 1");
            refused(j, "XACK can:raw cea-workers 1-1");
            DANGEROUS.forEach(c -> refused(j, c));
        }
    }

    @Test
    void everyServiceUserIsRefusedTheDangerousCommandsAndTheDefaultUserNeedsTheAdminPassword() {
        for (String s : PASSWORDS.keySet()) {
            try (Jedis j = service(s)) {
                DANGEROUS.forEach(c -> refused(j, c));
            }
        }
        try (Jedis anonymous = new Jedis("127.0.0.1", redis.port())) {
            JedisDataException e = assertThrows(JedisDataException.class, anonymous::ping);
            assertTrue(e.getMessage().startsWith("NOAUTH"), e.getMessage());
        }
        try (Jedis j = service("worker")) {
            refused(j, "XADD can:raw * id 0x101");
            refused(j, "SET alerts:active x");
            refused(j, "SET can:raw x");
            refused(j, "HSET scanner:status frames 1");
            JedisDataException e = assertThrows(JedisDataException.class,
                    () -> j.eval("return redis.call('XADD', KEYS[1], '*', 'a', '1')", 1, "can:raw"));
            assertTrue(e.getMessage().contains("can't access at least one of the keys"), e.getMessage());
        }
        try (Jedis j = service("monitor")) {
            j.hset("consistency:status", "result", "equal"); // can-consistency's record (ConsistencyStatus.publish)
            j.hgetAll("scanner:status");
            refused(j, "HSET worker:status processed 1");
            refused(j, "SET sensor:x 1");
            refused(j, "XADD can:raw * id 0x101");
        }
    }

    @Test
    void eachToolRunsUnderItsOwnUserAndNoCommandIsRefused() throws Exception {
        try (Jedis a = admin()) {
            a.aclLogReset();
        }
        Path db = dir.resolve("pipeline.db");
        int frames = 300;
        Bin.Run scan = Bin.run("can-scanner", envOf("scanner"), 120, "--source", "sim", "--sim-speed", "max", "--count",
                Integer.toString(frames), "--no-db", "--quiet", "--stats-interval", "0", "--spool-dir",
                dir.resolve("spool").toString(), "--drain-timeout", "30");
        assertEquals(0, scan.exit(), scan.toString());
        try (Bin.Started w = Bin.start("can-worker", envOf("worker"), "--db-url", db.toString())) {
            w.awaitErr("worker started", 60);
            awaitStored(db, frames, w);
            int api = Processes.freePort();
            try (Bin.Started a = Bin.start("can-api", envOf("api"), "--listen", "127.0.0.1:" + api, "--db-url",
                    db.toString())) {
                a.awaitErr("can-api: dashboard at", 60);
                String sensors = get(api, "/api/sensors");
                assertTrue(sensors.contains("\"value\""), sensors);
                String health = get(api, "/health");
                assertTrue(health.contains("\"redis\":{\"ok\":true"), health);
                assertTrue(health.contains("\"worker\":{\"ok\":true"), health);
                assertEquals(0, a.terminate(30), a.err());
            }
            try (Bin.Started auto = Bin.start("cea-automation", envOf("automation"), "--metrics-listen", "off",
                    "--consumer", "acl-it");
                 Bin.Started act = Bin.start("cea-actuator", envOf("automation"), "--dry-run", "--consumer", "acl-it")) {
                auto.awaitErr("cea-automation started", 60);
                awaitHash("automation:status", auto::err);
                Processes.sleep(3_000);
                assertEquals(0, auto.terminate(30), auto.err());
                assertEquals(0, act.terminate(30), act.err());
            }
            Bin.Run mon = Bin.run("monitor_redis_backend.sh", envOf("monitor"), 60, "--once");
            // 3: the snapshot shows something DOWN or a critical alert (the simulator's silent lab node)
            assertTrue(mon.exit() == 0 || mon.exit() == 3, mon.toString());
            assertTrue(mon.out().contains("redis: ok"), mon.toString());
            assertTrue(mon.out().contains("processed " + frames), mon.toString());
            // scanner:status, written by the scanner as cea-scanner, read by the monitor as cea-monitor
            assertTrue(mon.out().contains("scanner sim: updated"), mon.toString());
            assertTrue(mon.out().contains("  frames " + frames + " · clock jumps 0"), mon.toString());
            Map<String, String> fail = envOf("monitor");
            fail.put("CEA_FAILURE_LOG", dir.resolve("failures.log").toString());
            fail.put("CEA_RUN_DIR", dir.resolve("run").toString());
            Bin.Run h = Bin.run("service_error_handler.sh", fail, 60, "can-acl-it.service");
            assertEquals(0, h.exit(), h.toString());
            assertEquals(0, w.terminate(30), w.err());
        }
        try (Jedis a = admin()) {
            assertEquals(1, a.llen("service:failures"), "the failure handler's record (as cea-monitor)");
            List<AccessControlLogEntry> log = a.aclLog();
            StringBuilder why = new StringBuilder();
            log.forEach(e -> why.append(e.getlogEntry()).append('\n'));
            assertTrue(log.isEmpty(), "commands refused to the tools:\n" + why);
        }
    }

    private static void awaitStored(Path db, int frames, Bin.Started worker) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        long rows = -1;
        while (System.nanoTime() < deadline) {
            if (Files.exists(db)) {
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                     ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM can_messages")) {
                    rows = r.next() ? r.getLong(1) : -1;
                } catch (java.sql.SQLException notYet) {
                    rows = -1;
                }
                if (rows == frames) {
                    return;
                }
            }
            Processes.sleep(250);
        }
        throw new AssertionError("the worker stored " + rows + " of " + frames + " frames:\n" + worker.err());
    }

    private static void awaitHash(String key, java.util.function.Supplier<String> log) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Jedis a = admin()) {
            while (a.hgetAll(key).isEmpty()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("no " + key + " within 30 s:\n" + log.get());
                }
                Processes.sleep(200);
            }
        }
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }
}
