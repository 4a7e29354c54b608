package org.cea.tools.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jline.utils.AttributedString;
import org.jline.utils.ScreenTerminal;
import org.junit.jupiter.api.Test;

class TuiTest {
    private static final String FOOTER = "test · q quits";

    @Test
    void fitsAFrameToTheScreenAndSaysHowManyLinesDoNotFit() {
        List<String> body = List.of("one", "two", "three", "four", "five");
        List<AttributedString> screen = Tui.screen(body, 4, 20, FOOTER);
        assertEquals(4, screen.size());
        assertEquals("one", screen.get(0).toString());
        assertEquals("two", screen.get(1).toString());
        // 3 body rows for 5 lines: the last row says the remaining 3 ("three", "four", "five") do not fit, cut to 19
        assertEquals("… 3 more lines: en…", screen.get(2).toString());
        assertEquals("test · q quits", screen.get(3).toString());
    }

    @Test
    void padsAShortFrameSoTheFooterStaysOnTheLastRow() {
        List<AttributedString> screen = Tui.screen(List.of("only"), 5, 40, FOOTER);
        assertEquals(List.of("only", "", "", "", FOOTER), screen.stream().map(AttributedString::toString).toList());
    }

    @Test
    void drawsOnAVirtualTerminalAndQuitsOnQ() throws Exception {
        runAndQuit('q');
    }

    @Test
    void quitsOnCtrlC() throws Exception {
        runAndQuit(3);
    }

    private static void runAndQuit(int key) throws IOException, InterruptedException {
        ScreenTerminal.VirtualTerminal vt = ScreenTerminal.withTerminal("test", "xterm-256color", 60, 6);
        AtomicInteger frames = new AtomicInteger();
        Tui tui = new Tui(vt.terminal(), Duration.ofMillis(200),
                () -> List.of("redis: DOWN — Connection refused, retrying", "frame " + frames.incrementAndGet()), FOOTER);
        Thread t = new Thread(tui::run, "tui-under-test");
        t.start();
        try {
            List<String> rows = awaitRow(vt.screen(), 0, "redis: DOWN — Connection refused, retrying");
            assertTrue(rows.get(1).startsWith("frame "), rows.toString());
            assertEquals(FOOTER, rows.get(5).strip(), rows.toString());
            // it refreshes by itself: frame 3 or later (a loaded machine may show frame 3 for less than a poll)
            awaitRow(vt.screen(), 1, r -> r.startsWith("frame ") && Integer.parseInt(r.substring(6)) >= 3, "frame >= 3");
            vt.terminal().processInputByte(key);
            t.join(5_000);
            assertFalse(t.isAlive(), "the monitor did not quit on key " + key);
        } finally {
            tui.stop();
            t.join(5_000);
            vt.terminal().close();
        }
    }

    private static List<String> awaitRow(ScreenTerminal screen, int row, String text) throws InterruptedException {
        return awaitRow(screen, row, text::equals, "'" + text + "'");
    }

    private static List<String> awaitRow(ScreenTerminal screen, int row, java.util.function.Predicate<String> wanted,
                                         String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> rows = List.of();
        while (System.nanoTime() < deadline) {
            rows = screen.toString().lines().map(String::stripTrailing).toList();
            if (rows.size() > row && wanted.test(rows.get(row))) {
                return rows;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("row " + row + " never showed " + what + "; screen was " + rows);
    }
}
