package org.cea.redisio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.cea.candecode.CanFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir
    Path dir;

    static List<FrameEntry> entries(int from, int n) {
        List<FrameEntry> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            byte[] data = {(byte) i, (byte) (i >> 8), 0x10, (byte) 0xAA, 0, 0, 0, (byte) i};
            out.add(new FrameEntry("1700000000000-" + i, CanFrame.standard(0x101, data, 1_700_000_000_000_000L + i)));
        }
        return out;
    }

    @Test
    void returnsEntriesInOrderAndTruncatesWhenAllReplayed() throws IOException {
        try (Spool s = Spool.open(dir)) {
            s.append(entries(0, 10));
            s.append(entries(10, 5));
            assertEquals(15, s.depth());
            List<FrameEntry> first = s.peek(6);
            assertEquals(entries(0, 6), first);
            s.consume(6);
            assertEquals(9, s.depth());
            List<FrameEntry> rest = s.peek(100);
            assertEquals(entries(6, 9), rest);
            s.consume(9);
            assertTrue(s.isEmpty());
            assertEquals(0, Files.size(dir.resolve(Spool.FILE_NAME)));
        }
    }

    @Test
    void keepsEveryFrameKindAcrossReopen() {
        List<FrameEntry> odd = List.of(
                new FrameEntry("5-0", CanFrame.data(0x1ABCDEF0, true, new byte[] {1, 2}, 5)),
                new FrameEntry("5-1", CanFrame.standard(0x123, new byte[0], 6)),
                new FrameEntry("5-2", CanFrame.remote(0x7FF, false, 4, 7)),
                new FrameEntry("5-3", CanFrame.data(0x123, true, new byte[] {(byte) 0xFF}, 8)));
        try (Spool s = Spool.open(dir)) {
            s.append(odd);
        }
        try (Spool s = Spool.open(dir)) {
            assertEquals(4, s.depth());
            assertEquals("5-3", s.lastEntryId());
            assertEquals(odd, s.peek(10));
        }
    }

    @Test
    void cutsOffATornLastLineOnReopen() throws IOException {
        try (Spool s = Spool.open(dir)) {
            s.append(entries(0, 3));
        }
        Files.writeString(dir.resolve(Spool.FILE_NAME), "1700000000000-3 17000000000000", StandardCharsets.US_ASCII,
                StandardOpenOption.APPEND);
        try (Spool s = Spool.open(dir)) {
            assertEquals(3, s.depth());
            assertEquals("1700000000000-2", s.lastEntryId());
            assertEquals(entries(0, 3), s.peek(10));
            s.append(entries(3, 1));
            assertEquals(entries(0, 4), s.peek(10));
        }
    }

    @Test
    void skipsAndCountsCorruptLines() throws IOException {
        Files.writeString(dir.resolve(Spool.FILE_NAME), "garbage line\n", StandardCharsets.US_ASCII);
        try (Spool s = Spool.open(dir)) {
            s.append(entries(0, 2));
            assertEquals(entries(0, 2), s.peek(10));
            assertEquals(1, s.corruptLines());
            s.consume(2);
            assertTrue(s.isEmpty());
        }
    }

    @Test
    void emptySpoolHasNoLastId() {
        try (Spool s = Spool.open(dir)) {
            assertTrue(s.isEmpty());
            assertNull(s.lastEntryId());
            assertTrue(s.peek(10).isEmpty());
        }
    }

    @Test
    void unwritableDirectoryIsALoudError() throws IOException {
        Path file = dir.resolve("not-a-dir");
        Files.writeString(file, "x");
        SpoolException e = assertThrows(SpoolException.class, () -> Spool.open(file.resolve("spool")));
        assertTrue(e.getMessage().contains("not-a-dir"), e.getMessage());
    }

    @Test
    void fullDiskIsALoudErrorAndLeavesNoPartialLine() throws IOException {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(full), "/dev/full is Linux-only");
        Files.createSymbolicLink(dir.resolve(Spool.FILE_NAME), full);
        try (Spool s = Spool.open(dir)) {
            SpoolException e = assertThrows(SpoolException.class, () -> s.append(entries(0, 3)));
            assertTrue(e.getMessage().contains("3 frames"), e.getMessage());
            assertTrue(e.getMessage().contains("lost"), e.getMessage());
            assertEquals(0, s.depth());
        }
    }

    @Test
    void aSecondOpenOfTheSameSpoolIsRefused() {
        try (Spool s = Spool.open(dir)) {
            SpoolException e = assertThrows(SpoolException.class, () -> Spool.open(dir));
            assertTrue(e.getMessage().contains(Spool.FILE_NAME), e.getMessage());
        }
    }

    @Test
    void consumeBeyondPeekIsRejected() {
        try (Spool s = Spool.open(dir)) {
            s.append(entries(0, 2));
            s.peek(1);
            assertThrows(IllegalArgumentException.class, () -> s.consume(2));
        }
    }

    /** Issue 17 item 4: a line over 256 KB made every peek throw, so replay stalled for ever. */
    @Test
    void aLineOver256KbIsQuarantinedAndReplayGoesOn() throws IOException {
        Path f = dir.resolve(Spool.FILE_NAME);
        StringBuilder sb = new StringBuilder();
        entries(0, 2).forEach(e -> SpoolLine.format(e, sb));
        String huge = "1700000000000-2 " + "7".repeat(600_000);
        sb.append(huge).append('\n');
        entries(3, 2).forEach(e -> SpoolLine.format(e, sb));
        Files.writeString(f, sb, StandardCharsets.US_ASCII);
        List<FrameEntry> replayed = new ArrayList<>();
        try (Spool s = Spool.open(dir)) {
            assertEquals(5, s.depth(), "counted by lines on open");
            for (int i = 0; i < 5 && !s.isEmpty(); i++) {
                List<FrameEntry> chunk = s.peek(10);
                replayed.addAll(chunk);
                s.consume(chunk.size());
            }
            assertTrue(s.isEmpty());
            assertEquals(1, s.corruptLines());
            assertEquals(1, s.quarantinedLines());
        }
        List<FrameEntry> expected = new ArrayList<>(entries(0, 2));
        expected.addAll(entries(3, 2));
        assertEquals(expected, replayed);
        assertEquals(huge + "\n", Files.readString(dir.resolve(Spool.QUARANTINE_FILE_NAME), StandardCharsets.US_ASCII));
    }

    @Test
    void aHugeFirstLineAndACorruptLineAreBothQuarantinedOnce() throws IOException {
        Path f = dir.resolve(Spool.FILE_NAME);
        StringBuilder sb = new StringBuilder("x".repeat(300_000)).append('\n').append("garbage\n");
        entries(0, 3).forEach(e -> SpoolLine.format(e, sb));
        Files.writeString(f, sb, StandardCharsets.US_ASCII);
        try (Spool s = Spool.open(dir)) {
            assertEquals(entries(0, 1), s.peek(1));
            assertEquals(entries(0, 3), s.peek(3), "peeking again neither re-counts nor loses anything");
            assertEquals(2, s.corruptLines());
            assertEquals(3, s.depth());
            s.consume(3);
            assertTrue(s.isEmpty());
        }
        assertEquals(300_000 + 1 + 8, Files.size(dir.resolve(Spool.QUARANTINE_FILE_NAME)));
    }
}
