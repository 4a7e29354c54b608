package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every backend must do; subclasses open a fresh, empty store. */
abstract class StoreBehaviour {
    static final long T0 = 1_710_028_800_000_000L; // 2024-03-10T00:00:00Z in microseconds
    protected Store store;

    protected abstract Store openFresh();

    @BeforeEach
    void openStore() {
        store = openFresh();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static MessageRow pt100(String source, long ts, int node, int seq) {
        return new MessageRow(source, ts, node << 8 | 1, false, node, "PT100", 8,
                String.format("0B 09 1C 07 00 00 00 %02X", seq), "{\"temp_dry_c\":23.15,\"temp_wet_c\":18.2,\"status\":0,\"seq\":" + seq + "}");
    }

    @Test
    void replayedBatchWritesEachRowOnce() {
        List<MessageRow> ms = List.of(pt100("1710028800000-0", T0, 1, 1), pt100("1710028800001-0", T0 + 1000, 2, 1),
                pt100("1710028800002-0", T0 + 2000, 3, 1), pt100(null, T0 + 3000, 1, 2));
        List<ReadingRow> rs = List.of(new ReadingRow(T0, "dry_bulb_b", 23.15), new ReadingRow(T0, "wet_bulb_b", 18.2),
                new ReadingRow(T0 + 1000, "dry_bulb_f", 23.15), new ReadingRow(T0 + 2000, "dry_bulb_v", 23.15));
        assertEquals(new WriteResult(4, 0, 4, 0, List.of()), store.writeBatch(ms, rs));
        // the three stream entries and the four readings are skipped; the legacy row without source id is a plain insert
        assertEquals(new WriteResult(1, 3, 0, 4, List.of()), store.writeBatch(ms, rs));
        List<StoredMessage> all = store.recentMessages(MessageQuery.latest(100));
        assertEquals(5, all.size());
        assertEquals(List.of("1710028800000-0", "1710028800001-0", "1710028800002-0"),
                all.stream().map(StoredMessage::sourceId).limit(3).toList());
        assertNull(all.get(3).sourceId());
        assertEquals(4, store.latestPerSensor().size());
    }

    @Test
    void holdsStreamRowsOnlyOnceAMessageFromTheStreamIsStored() {
        assertFalse(store.holdsStreamRows(), "a fresh database");
        store.writeBatch(List.of(pt100(null, T0, 1, 1), pt100(null, T0 + 1000, 1, 2)), List.of());
        assertFalse(store.holdsStreamRows(), "legacy rows (no stream entry id) only: the scanner's own target");
        store.writeBatch(List.of(pt100("1710028800002-0", T0 + 2000, 1, 3)), List.of());
        assertTrue(store.holdsStreamRows(), "a row the worker wrote from can:raw");
    }

    @Test
    void partlyReplayedBatchWritesOnlyTheNewRows() {
        store.writeBatch(List.of(pt100("m-1", T0, 1, 1), pt100("m-2", T0 + 1, 1, 2)),
                List.of(new ReadingRow(T0, "co2_b", 400)));
        WriteResult w = store.writeBatch(List.of(pt100("m-2", T0 + 1, 1, 2), pt100("m-3", T0 + 2, 1, 3)),
                List.of(new ReadingRow(T0, "co2_b", 400), new ReadingRow(T0 + 10, "co2_b", 401)));
        assertEquals(new WriteResult(1, 1, 1, 1, List.of()), w);
        assertEquals(List.of("m-1", "m-2", "m-3"), sources(MessageQuery.latest(10)));
        assertEquals(new ReadingRow(T0 + 10, "co2_b", 401), store.latestPerSensor().get("co2_b"));
    }

    @Test
    void duplicatesInsideOneBatchAreSkipped() {
        MessageRow m = pt100("5-0", T0, 1, 1);
        ReadingRow r = new ReadingRow(T0, "co2_b", 400);
        WriteResult w = store.writeBatch(List.of(m, m), List.of(r, new ReadingRow(T0, "co2_b", 999)));
        assertEquals(new WriteResult(1, 1, 1, 1, List.of()), w);
        assertEquals(400.0, store.latestPerSensor().get("co2_b").value());
    }

    @Test
    void keepsMicrosecondsAndTellsStandardFromExtendedIds() {
        long ts = T0 + 123_457;
        store.writeBatch(List.of(new MessageRow("a-1", ts, 0x123, false, null, null, 2, "AA FF", null),
                new MessageRow("a-2", ts + 1, 0x123, true, null, null, 2, "AA FF", null),
                new MessageRow("a-3", ts + 2, 0x1ABCDEF0, true, null, null, 0, "", null)),
                List.of(new ReadingRow(ts + 999_999, "co2_f", 612.5)));
        List<StoredMessage> got = store.recentMessages(MessageQuery.latest(10));
        assertEquals(List.of(ts, ts + 1, ts + 2), got.stream().map(StoredMessage::timestampMicros).toList());
        assertEquals(List.of(false, true, true), got.stream().map(StoredMessage::extended).toList());
        assertEquals(0x1ABCDEF0, got.get(2).canId());
        assertEquals("", got.get(2).rawData());
        assertEquals(new ReadingRow(ts + 999_999, "co2_f", 612.5), store.latestPerSensor().get("co2_f"));
    }

    @Test
    void nullRowsAreRejectedByIndexAndTheRestIsWritten() {
        List<MessageRow> ms = Arrays.asList(pt100("b-1", T0, 1, 1), null, pt100("b-3", T0 + 2, 1, 3));
        List<ReadingRow> rs = Arrays.asList(null, new ReadingRow(T0, "co2_b", 401));
        WriteResult w = store.writeBatch(ms, rs);
        assertEquals(2, w.messagesWritten());
        assertEquals(1, w.readingsWritten());
        assertEquals(List.of(new Rejection(Rejection.Table.MESSAGES, 1, null, null, "null row"),
                new Rejection(Rejection.Table.READINGS, 0, null, null, "null row")), w.rejected());
        assertEquals(2, store.recentMessages(MessageQuery.latest(10)).size());
    }

    @Test
    void decodedJsonRoundTripsAsTheSameObject() {
        String json = "{\"temp_dry_c\":23.55,\"temp_wet_c\":18.2,\"status\":0,\"seq\":17,\"note\":\"tab\\there \\\\ \\u00e9\"}";
        store.writeBatch(List.of(new MessageRow("j-1", T0, 0x101, false, 1, "PT100", 8,
                "0B 09 1C 07 00 00 00 11", json)), List.of());
        StoredMessage m = store.recentMessages(MessageQuery.latest(1)).get(0);
        assertEquals(JsonParser.parseString(json), JsonParser.parseString(m.decodedJson()));
        assertEquals("0B 09 1C 07 00 00 00 11", m.rawData());
        assertEquals(1, m.nodeId());
        assertEquals("PT100", m.messageType());
        assertEquals(8, m.dlc());
    }

    @Test
    void recentMessagesFiltersAndTails() {
        List<MessageRow> ms = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int node = 1 + i % 3;
            ms.add(i % 2 == 0 ? pt100("r-" + i, T0 + i, node, i)
                    : new MessageRow("r-" + i, T0 + i, node << 8 | 2, false, node, "BARO", 8, "A5 27 9A 08 00 00 00 00",
                    "{\"pressure_hpa\":1013.3,\"temp_c\":22.02,\"seq\":0}"));
        }
        store.writeBatch(ms, List.of());
        List<StoredMessage> last3 = store.recentMessages(MessageQuery.latest(3));
        assertEquals(List.of("r-9", "r-10", "r-11"), last3.stream().map(StoredMessage::sourceId).toList());
        assertEquals(List.of("r-6", "r-8", "r-10"), sources(MessageQuery.latest(3).withType("PT100")));
        // node 2: i = 1, 4, 7, 10
        assertEquals(List.of("r-1", "r-4", "r-7", "r-10"), sources(MessageQuery.latest(10).withNode(2)));
        // can id 0x302 = node 3 BARO: i = 5, 11
        assertEquals(List.of("r-5", "r-11"), sources(MessageQuery.latest(10).withCanId(0x302)));
        long firstId = store.recentMessages(MessageQuery.latest(12)).get(0).id();
        // tailing: the first 2 rows after the 4th row, oldest first
        assertEquals(List.of("r-4", "r-5"), sources(MessageQuery.latest(2).withAfterId(
                store.recentMessages(MessageQuery.latest(12)).get(3).id())));
        assertEquals(List.of(), sources(MessageQuery.latest(5).withAfterId(firstId + 1_000_000)));
        assertEquals(List.of("r-3", "r-9"), sources(MessageQuery.latest(10).withNode(1).withType("BARO")));
    }

    private List<String> sources(MessageQuery q) {
        return store.recentMessages(q).stream().map(StoredMessage::sourceId).toList();
    }

    @Test
    void countsByTypeUseAHalfOpenWindowAndNameUnknownFrames() {
        store.writeBatch(List.of(pt100("c-1", T0, 1, 1), pt100("c-2", T0 + 999_999, 2, 1),
                new MessageRow("c-3", T0 + 500_000, 0x7E0, false, null, null, 1, "00", null),
                pt100("c-4", T0 + 1_000_000, 3, 1)), List.of());
        Map<String, Long> counts = store.countsByType(Times.instant(T0), Times.instant(T0 + 1_000_000));
        assertEquals(Map.of("PT100", 2L, Store.UNKNOWN_TYPE, 1L), counts);
        assertTrue(store.countsByType(Times.instant(T0 - 10), Times.instant(T0)).isEmpty());
    }

    @Test
    void historyBucketsOnTheEpochGrid() {
        // readings every 10 s from T0 for 3 minutes: 18 values 1..18
        List<ReadingRow> rs = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            rs.add(new ReadingRow(T0 + i * 10_000_000L, "co2_v", i + 1));
        }
        store.writeBatch(List.of(), rs);
        // 00:00:05 .. 00:02:05 in at most 2 points: 1-min gives 3 buckets, so 2-min buckets:
        // [00:00, 00:02) holds 00:00:10..00:01:50 = values 2..12; [00:02, 00:04) holds 00:02:00 = 13
        List<HistoryPoint> h = store.history("co2_v", Times.instant(T0 + 5_000_000), Times.instant(T0 + 125_000_000), 2);
        assertEquals(List.of(new HistoryPoint(Times.instant(T0), 7.0, 2.0, 12.0, 11),
                new HistoryPoint(Times.instant(T0 + 120_000_000), 13.0, 13.0, 13.0, 1)), h);
        assertTrue(store.history("co2_v", Times.instant(T0 - 100_000_000), Times.instant(T0), 10).isEmpty());
        assertTrue(store.history("nope", Times.instant(T0), Times.instant(T0 + 1), 10).isEmpty());
    }

    @Test
    void badArgumentsAreBadData() {
        Instant t = Times.instant(T0);
        assertThrows(BadDataException.class, () -> store.history("co2_b", t, t, 10));
        assertThrows(BadDataException.class, () -> store.history("co2_b", t, t.plusSeconds(1), 0));
        assertThrows(BadDataException.class, () -> store.history(null, t, t.plusSeconds(1), 10));
        assertThrows(BadDataException.class, () -> store.countsByType(t, t.minusSeconds(1)));
    }

    @Test
    void closeIsIdempotentAndFinal() {
        store.close();
        store.close();
        assertThrows(IllegalStateException.class, () -> store.latestPerSensor());
        assertFalse(store.toString().isEmpty());
    }
}
