package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.cea.testsupport.PostgresCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Kills and restarts its own PostgreSQL cluster, so the shared one is not disturbed. */
class PostgresRestartIT {
    private static final long T0 = StoreBehaviour.T0;
    private static PostgresCluster pg;

    @BeforeAll
    static void startCluster() {
        pg = PostgresCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (pg != null) {
            pg.close();
        }
    }

    private static List<MessageRow> batch(int from, int n) {
        List<MessageRow> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(StoreBehaviour.pt100("s-" + i, T0 + i * 1000L, 1 + i % 3, i & 0xFF));
        }
        return out;
    }

    @Test
    void survivesAKilledAndRestartedServerBetweenBatches() {
        pg.createDatabase("restart_kill");
        try (Store store = Store.open(pg.url("restart_kill"))) {
            assertEquals(100, store.writeBatch(batch(0, 100), List.of()).messagesWritten());
            pg.restart(); // kill -9 of postmaster and backends, then start on the same port
            // the dead connection is noticed and replaced inside the call
            WriteResult second = store.writeBatch(batch(100, 100), List.of(new ReadingRow(T0, "co2_b", 420)));
            assertEquals(new WriteResult(100, 0, 1, 0, List.of()), second);
            assertEquals("200", pg.psql("restart_kill", "SELECT count(DISTINCT source_id) || '' FROM can_messages"));
        }
    }

    @Test
    void reportsUnavailableWhileDownAndRecoversWithoutDuplicates() {
        pg.createDatabase("restart_stop");
        try (Store store = Store.open(pg.url("restart_stop"))) {
            store.writeBatch(batch(0, 50), List.of());
            pg.stop(); // fast shutdown: sessions get 57P01, new connections are refused
            try {
                StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                        () -> store.writeBatch(batch(50, 50), List.of()));
                assertTrue(e.getMessage().contains("writing a batch of 50 messages"), e.getMessage());
                assertThrows(StoreUnavailableException.class, store::latestPerSensor);
            } finally {
                pg.startServer();
            }
            // the caller's retry of the same batch, plus a replay of the first one
            assertEquals(new WriteResult(50, 0, 0, 0, List.of()), store.writeBatch(batch(50, 50), List.of()));
            assertEquals(new WriteResult(0, 100, 0, 0, List.of()), store.writeBatch(batch(0, 100), List.of()));
            assertEquals("100|100", pg.psql("restart_stop",
                    "SELECT count(*) || '|' || count(DISTINCT source_id) FROM can_messages"));
            assertFalse(store.recentMessages(MessageQuery.latest(1)).isEmpty());
        }
    }
}
