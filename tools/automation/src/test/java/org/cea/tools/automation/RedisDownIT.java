package org.cea.tools.automation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cea.redisio.AlertEvents;
import org.cea.redisio.AlertKeys;
import org.cea.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * Redis killed with SIGKILL under a running cea-automation: "Redis unreachable" reaches the HTTP
 * receiver and the SMTP server within {@value #WITHIN_MS} ms (hold 2 s + one evaluation + delivery: 4-5 s on
 * a quiet machine, up to 12 s seen at a load average of 35 on this shared 2-core host),
 * without Redis; its resolution follows when Redis is back, and both transitions are then recorded
 * on alerts:events naming the notifiers that already sent them, so neither is sent twice.
 */
class RedisDownIT {
    static final long WITHIN_MS = 30_000;

    @Test
    void redisUnreachableIsNotifiedThroughTheSinksWhileRedisIsDown() throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("cea.buildDir", "target"), "automation-it",
                "redis-down-" + System.currentTimeMillis()).toAbsolutePath());
        try (RedisServer redis = RedisServer.start(true); Receivers rx = new Receivers(dir); Stack s = new Stack(dir)) {
            Path cfg = dir.resolve("automation.json");
            Files.writeString(cfg, "{\"evaluation_period_s\":1,\"rules\":[{\"name\":\"redis_unreachable\",\"kind\":\"pipeline\","
                    + "\"check\":\"redis_unreachable\",\"for_s\":2,\"severity\":\"critical\"}],\"notifiers\":" + rx.notifiersJson() + "}");
            AutomationScenarioIT.smtpEnv(s);
            s.start("automation", "org.cea.tools.automation.AutomationMain", "--config", cfg.toString(), "--redis-url", redis.url(),
                    "--metrics-listen", "off", "--consumer", "redis-down-it");
            try (JedisPooled jedis = new JedisPooled(redis.url())) {
                Stack.await("cea-automation's status", 180_000, () -> jedis.exists(AlertKeys.STATUS), s);
            }
            long killed = System.currentTimeMillis();
            redis.kill9();
            Stack.await("Redis unreachable on the webhook and by e-mail", WITHIN_MS, () ->
                    rx.posts(e -> e.get("id").getAsString().equals("redis_unreachable")
                            && e.get("transition").getAsString().equals("firing")).size() == 1
                            && rx.mails("FIRING", "redis_unreachable").size() == 1, s);
            long notified = System.currentTimeMillis() - killed;
            assertTrue(rx.posts.get(0).get("message").getAsString().contains("cannot reach Redis"), rx.posts.get(0).toString());

            redis.startProcess();
            Stack.await("resolved once Redis is back", 30_000, () -> rx.posts(e -> e.get("transition").getAsString()
                    .equals("resolved")).size() == 1 && rx.mails("RESOLVED", "redis_unreachable").size() == 1, s);
            try (JedisPooled jedis = new JedisPooled(redis.url())) {
                Stack.await("both transitions recorded", 20_000, () -> jedis.xlen(AlertKeys.EVENTS) >= 3, s);
                Map<String, List<AlertEvents.Event>> ev = AutomationScenarioIT.events(jedis);
                List<AlertEvents.Event> r = ev.get("redis_unreachable");
                assertEquals(List.of("pending", "firing", "resolved"), r.stream().map(AlertEvents.Event::transition).toList());
                assertEquals(java.util.Set.of("webhook", "email"), r.get(1).notifiedBy(), "recorded as already sent");
                assertEquals(0, jedis.hlen(AlertKeys.ACTIVE));
                Stack.await("notifier groups caught up", 20_000, () -> AutomationScenarioIT.pending(jedis, "notify:webhook") == 0
                        && AutomationScenarioIT.pending(jedis, "notify:email") == 0, s);
            }
            Thread.sleep(2_000);
            assertEquals(2, rx.posts.size(), "firing and resolved once each: " + rx.posts);
            assertEquals(2, rx.mails.size());
            System.out.println("RedisDownIT: Redis unreachable notified " + notified + " ms after the kill");
        }
    }
}
