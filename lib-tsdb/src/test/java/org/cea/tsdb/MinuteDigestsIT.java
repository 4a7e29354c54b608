package org.cea.tsdb;

import static org.cea.tsdb.DigestRowTest.A;
import static org.cea.tsdb.DigestRowTest.B;
import static org.cea.tsdb.DigestRowTest.C;
import static org.cea.tsdb.DigestRowTest.D;
import static org.cea.tsdb.DigestRowTest.E;
import static org.cea.tsdb.DigestRowTest.HASH_B;
import static org.cea.tsdb.DigestRowTest.HASH_D;
import static org.cea.tsdb.DigestRowTest.HASH_E;
import static org.cea.tsdb.DigestRowTest.SUM_ABC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.Processes;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Minute digests on a SQLite file written as the scanner writes its legacy file and on PostgreSQL
 * written as the worker writes it: the same rows give the same digests, and both equal the digests
 * worked out by hand from coreutils' md5sum ({@link DigestRowTest}).
 */
class MinuteDigestsIT {
    /** 2024-12-12 10:58:00 UTC and the next minute. */
    private static final long M0 = 1_734_001_080_000_000L;
    private static final long M1 = M0 + 60_000_000L;
    private static final long M2 = M1 + 60_000_000L;
    private static final List<MinuteDigest> EXPECTED = List.of(new MinuteDigest(M0, 0x101, 3, SUM_ABC),
            new MinuteDigest(M0, 0x1ABCDEF, 1, HASH_E), new MinuteDigest(M1, 0x101, 1, HASH_D));

    private static Path dir;
    private static String sqliteUrl;
    private static String pgUrl;

    private static MessageRow row(DigestRow r, String sourceId) {
        return new MessageRow(sourceId, r.timestampMicros(), r.canId(), r.canId() > 0x7FF, 1, "PT100", r.dlc(),
                r.rawData(), null);
    }

    @BeforeAll
    static void write() {
        dir = Processes.tempDir("cea-digests-");
        sqliteUrl = dir.resolve("can_messages.db").toString();
        pgUrl = TestServers.postgres().url(TestServers.newDatabase("digests"));
        List<DigestRow> rows = List.of(E, A, B, C, D);
        // the scanner's legacy path: plain inserts without source ids; the worker: with stream entry ids
        try (Store legacy = Store.open(sqliteUrl); Store worker = Store.open(pgUrl)) {
            List<MessageRow> plain = new ArrayList<>();
            List<MessageRow> entries = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                plain.add(row(rows.get(i), null));
                entries.add(row(rows.get(i), "1734001123123-" + i));
            }
            assertEquals(5, legacy.writeBatch(plain, List.of()).messagesWritten());
            assertEquals(5, worker.writeBatch(entries, List.of()).messagesWritten());
        }
    }

    @AfterAll
    static void cleanup() {
        Processes.deleteTree(dir);
    }

    @Test
    void bothBackendsGiveTheHandComputedDigestsPerMinuteAndCanId() {
        for (String url : List.of(sqliteUrl, pgUrl)) {
            try (MinuteDigests d = MinuteDigests.open(url)) {
                assertEquals(EXPECTED, d.digests(M0, M2), url);
                assertEquals(EXPECTED.subList(0, 2), d.digests(M0, M1), url);
                assertEquals(List.of(), d.digests(M2, M2 + 60_000_000L), url);
                assertEquals(List.of(A, B, C), d.rows(M0, M1, 0x101, 10), url);
                assertEquals(List.of(A, B), d.rows(M0, M1, 0x101, 2), url);
                assertEquals(List.of(D), d.rows(M1, M2, 0x101, 10), url);
            }
        }
    }

    @Test
    void timestampsTypedByHandLandOnTheSameMicrosecondAndMinuteOnBothSides() throws SQLException {
        // SQLite parses the decimal text to the nearest double (1734001123.1234569549...: B's
        // microsecond); 1734001139.9999998 is the next minute's first microsecond on both sides
        Path file = dir.resolve("typed.db");
        try (Store s = Store.open(file.toString())) {
            s.writeBatch(List.of(), List.of());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("INSERT INTO can_messages (timestamp, can_id, dlc, raw_data)"
                    + " VALUES (1734001123.123457, 257, 8, '12 0A A5 07 00 00 00 12'), (1734001139.9999998, 257, 0, '')");
        }
        String db = TestServers.newDatabase("digests_typed");
        PostgresCluster pg = TestServers.postgres();
        try (Store s = Store.open(pg.url(db))) {
            s.writeBatch(List.of(), List.of());
        }
        pg.psql(db, "INSERT INTO can_messages (timestamp, can_id, dlc, raw_data) VALUES"
                + " ('2024-12-12 10:58:43.123457+00', 257, 8, '12 0A A5 07 00 00 00 12'), ('2024-12-12 10:59:00+00', 257, 0, '')");
        for (String url : List.of(file.toString(), pg.url(db))) {
            try (MinuteDigests d = MinuteDigests.open(url)) {
                assertEquals(List.of(new MinuteDigest(M0, 0x101, 1, HASH_B), new MinuteDigest(M1, 0x101, 1, HASH_D)),
                        d.digests(M0, M2), url);
            }
        }
    }

    @Test
    void readingTheLegacyFileNeverWritesItAndDoesNotHoldUpAWriterInWalMode() throws Exception {
        Path file = dir.resolve("busy.db");
        AtomicLong written = new AtomicLong();
        AtomicReference<Throwable> writerFailed = new AtomicReference<>();
        try (Store writer = Store.open(file.toString())) {
            writer.writeBatch(List.of(row(A, null)), List.of());
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        List<MessageRow> batch = new ArrayList<>();
                        for (int k = 0; k < 50; k++) {
                            batch.add(row(new DigestRow(M1 + i * 50_000L + k, 0x202, 8, "00"), null));
                        }
                        written.addAndGet(writer.writeBatch(batch, List.of()).messagesWritten());
                    }
                } catch (RuntimeException e) {
                    writerFailed.set(e);
                }
            }, "legacy-writer");
            t.start();
            try (MinuteDigests d = MinuteDigests.open(file.toString())) {
                long rows = 0;
                while (t.isAlive()) {
                    rows = d.digests(M0, M2).stream().mapToLong(MinuteDigest::rows).sum();
                }
                t.join();
                assertEquals(1 + 200 * 50, d.digests(M0, M2).stream().mapToLong(MinuteDigest::rows).sum());
                assertTrue(rows >= 1, "read while the writer wrote");
            }
            assertEquals(null, writerFailed.get());
            assertEquals(200 * 50, written.get());
        }
        long size = Files.size(file);
        long modified = Files.getLastModifiedTime(file).toMillis();
        try (MinuteDigests d = MinuteDigests.open(file.toString())) {
            assertEquals(1 + 200 * 50, d.digests(M0, M2).stream().mapToLong(MinuteDigest::rows).sum());
        }
        assertEquals(size, Files.size(file));
        assertEquals(modified, Files.getLastModifiedTime(file).toMillis());
    }

    @Test
    void refusesWhatItCannotCompareWithoutCreatingAnything() {
        Path missing = dir.resolve("nope.db");
        BadDataException e = assertThrows(BadDataException.class, () -> MinuteDigests.open(missing.toString()));
        assertEquals("SQLite file not found: " + missing + " (a comparison never creates one)", e.getMessage());
        assertFalse(Files.exists(missing));
        String empty = TestServers.newDatabase("digests_empty");
        e = assertThrows(BadDataException.class, () -> MinuteDigests.open(TestServers.postgres().url(empty)));
        assertTrue(e.getMessage().endsWith("has no table can_messages (is it the worker's database?)"), e.getMessage());
        assertThrows(StoreUnavailableException.class,
                () -> MinuteDigests.open("postgresql://cea:secret@127.0.0.1:" + Processes.freePort() + "/cea"));
        try (MinuteDigests d = MinuteDigests.open(sqliteUrl)) {
            assertEquals("minute digests need whole minutes, were from=" + (M0 + 1) + " to=" + M1 + " µs",
                    assertThrows(BadDataException.class, () -> d.digests(M0 + 1, M1)).getMessage());
            assertThrows(BadDataException.class, () -> d.rows(M1, M0, 0x101, 1));
            assertThrows(BadDataException.class, () -> d.rows(M0, M1, 0x101, 0));
        }
    }
}
