package org.cea.tools.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.cea.candecode.CanFrame;
import org.cea.candecode.DecodeResult;
import org.cea.candecode.FrameDecoder;
import org.cea.candecode.UnknownFrame;
import org.cea.candecode.facility.FacilityProfile;
import org.cea.testsupport.Processes;
import org.cea.testsupport.TestServers;
import org.cea.tsdb.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The legacy write's time window (--db-flush-ms, issue 20): rows that arrive within it go in one
 * SQLite transaction, as at the facility's 15 frames/s a transaction per frame rewrote the same
 * pages for every frame. Real SQLite file, real thread, real time.
 */
class DbPathTest {
    private static final DecodeResult END = new UnknownFrame(CanFrame.standard(0, new byte[0], 0));
    private final Path dir = Processes.tempDir("dbpath-");
    private final FrameDecoder decoder = FrameDecoder.forFacility(
            FacilityProfile.loadDefault(TestServers.projectRoot().resolve("etc")));

    @AfterEach
    void clean() {
        Processes.deleteTree(dir);
    }

    private DecodeResult frame(int i) {
        byte[] d = {(byte) 0xC4, 0x09, (byte) 0x9E, 0x07, 0, 0, 0, (byte) i};
        return decoder.decode(CanFrame.standard(0x101, d, (1_700_000_000_000L + i * 50L) * 1000));
    }

    /** Offers {@code n} frames 50 ms apart (a 20 frames/s bus) to a DB path with the given window; returns it ended. */
    private DbPath run(int n, long flushMs, long lingerMs) throws InterruptedException {
        String url = "jdbc:sqlite:" + dir.resolve("legacy-" + flushMs + ".db");
        BlockingQueue<DecodeResult> q = new ArrayBlockingQueue<>(1_000);
        DbPath p = new DbPath(() -> Store.open(url), Store.open(url), url, q, END, 500, flushMs, System::nanoTime);
        Thread t = new Thread(p, "scanner-db-test");
        t.start();
        for (int i = 0; i < n; i++) {
            q.put(frame(i));
            Thread.sleep(50);
        }
        Thread.sleep(lingerMs);
        long ending = System.nanoTime();
        q.put(END);
        t.join(10_000);
        assertFalse(t.isAlive(), "the DB path ended");
        long endMs = (System.nanoTime() - ending) / 1_000_000;
        assertTrue(endMs < 2_000, "the end writes at once, not after the window: " + endMs + " ms");
        assertEquals(n, p.written(), "every row written");
        return p;
    }

    @Test
    void framesWithinTheFlushIntervalGoInOneTransaction() throws InterruptedException {
        // 10 frames over 0.5 s, a 3 s window: one transaction, written when the end arrives
        assertEquals(1, run(10, 3_000, 0).commits());
    }

    @Test
    void theWindowClosesAfterTheIntervalAndTheNextFramesOpenAnother() throws InterruptedException {
        // 10 frames over 0.5 s, a 200 ms window: a few transactions of several rows each, not ten
        long commits = run(10, 200, 300).commits();
        assertTrue(commits >= 2 && commits <= 5, "transactions for 10 frames 50 ms apart in 200 ms windows: " + commits);
    }

    @Test
    void noWindowWritesEachFrameAsItComes() throws InterruptedException {
        long commits = run(10, 0, 0).commits();
        assertTrue(commits >= 8, "a transaction per frame 50 ms apart without a window, was " + commits);
    }
}
