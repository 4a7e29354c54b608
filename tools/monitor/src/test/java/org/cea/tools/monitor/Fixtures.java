package org.cea.tools.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cea.redisio.LiveKeys;
import org.cea.redisio.ServiceFailures;
import org.cea.redisio.WorkerStatus;
import org.cea.tsdb.MessageRow;
import org.cea.tsdb.ReadingRow;
import org.cea.tsdb.Store;
import org.cea.tsdb.WriteResult;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.params.XAddParams;

/** Known data written through the real writers (lib-tsdb Store, lib-redisio WorkerStatus, Jedis). */
final class Fixtures {
    static final String PT100_JSON = "{\"temp_dry_c\":23.55,\"temp_wet_c\":18.2,\"status\":0,\"seq\":17}";

    private Fixtures() {
    }

    /**
     * Five messages, in this insertion (id) order: LAB 2 h ago (outside the hour), BARO 30 min ago,
     * PT100 node 1 and node 2 10 s ago, an unknown extended frame 5 s ago; and two dry_bulb_b readings
     * (20.5 a minute ago, 23.55 10 s ago).
     */
    static void writeMessages(Store store, long nowMillis) {
        long us = nowMillis * 1000;
        List<MessageRow> rows = List.of(
                new MessageRow("t-1", us - 7_200_000_000L, 0x405, false, 4, "LAB", 8, "00 00 00 00 00 00 00 01", "{\"temp_c\":22.04}"),
                new MessageRow("t-2", us - 1_800_000_000L, 0x102, false, 1, "BARO", 8, "00 00 00 00 00 00 00 02", "{\"pressure_hpa\":1013.1}"),
                new MessageRow("t-3", us - 10_000_000L, 0x101, false, 1, "PT100", 8, "00 00 00 00 00 00 00 03", PT100_JSON),
                new MessageRow("t-4", us - 10_000_000L, 0x201, false, 2, "PT100", 8, "00 00 00 00 00 00 00 04", PT100_JSON),
                new MessageRow("t-5", us - 5_000_000L, 0x123, true, null, null, 2, "AA BB", null));
        List<ReadingRow> readings = List.of(new ReadingRow(us - 60_000_000L, "dry_bulb_b", 20.5),
                new ReadingRow(us - 10_000_000L, "dry_bulb_b", 23.55));
        WriteResult r = store.writeBatch(rows, readings);
        assertEquals(5, r.messagesWritten(), r.toString());
    }

    /** {@code n} more PT100 rows 1 s ago, with source ids {@code prefix-0..n-1}. */
    static void writeMore(Store store, long nowMillis, String prefix, int n) {
        List<MessageRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new MessageRow(prefix + "-" + i, (nowMillis - 1_000) * 1000, 0x301, false, 3, "PT100", 8,
                    "00 00 00 00 00 00 00 05", PT100_JSON));
        }
        assertEquals(n, store.writeBatch(rows, List.of()).messagesWritten());
    }

    /**
     * Live keys for dry_bulb_b (23.55, 1 s old) and co2_v (412, 0.5 s old), a worker:status hash
     * updated 2 s ago, 3 entries in can:raw, 1 in can:dead, 3 service failures (f3 newest).
     */
    static void writeRedis(UnifiedJedis jedis, long nowMillis) {
        jedis.flushAll();
        live(jedis, "dry_bulb_b", "23.55", nowMillis - 1_000);
        live(jedis, "co2_v", "412", nowMillis - 500);
        new WorkerStatus(jedis).publish(new WorkerStatus.Snapshot("pi-test", 100, 12.5, 3, 0, 1, 2, Map.of(1, 4L), 0,
                "ok", "", nowMillis - 2_000));
        for (int i = 0; i < 3; i++) {
            jedis.xadd("can:raw", XAddParams.xAddParams(), Map.of("id", "0x101", "data", "00 11", "ts", "1", "dlc", "2"));
        }
        jedis.xadd("can:dead", XAddParams.xAddParams(), Map.of("id", "zz", "reason", "bad id", "source_id", "1-0"));
        jedis.lpush(ServiceFailures.KEY, "f1", "f2", "f3");
    }

    private static void live(UnifiedJedis jedis, String sensor, String value, long tsMillis) {
        SetParams ttl = SetParams.setParams().px(LiveKeys.TTL_MS);
        jedis.set(LiveKeys.valueKey(sensor), value, ttl);
        jedis.set(LiveKeys.tsKey(sensor), Long.toString(tsMillis), ttl);
    }
}
