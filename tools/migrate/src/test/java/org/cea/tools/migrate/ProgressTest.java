package org.cea.tools.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void rendersRowsRateAndEta() {
        // 450,000 of 1,000,000 rows in 5 s: 90,000 rows/s, 550,000 left -> 6.1 s
        assertEquals("[#############.................]  45.0%  450,000/1,000,000 rows  90,000 rows/s  ETA 0:06",
                Progress.render(450_000, 1_000_000, 5_000_000_000L, true));
        assertEquals("progress: 100.0%  10/10 rows  2 rows/s  ETA 0:00", Progress.render(10, 10, 5_000_000_000L, false));
        assertEquals("progress:   0.0%  0/10 rows  0 rows/s  ETA --:--", Progress.render(0, 10, 0, false));
    }

    @Test
    void printsPlainLinesOnlyEveryInterval() {
        long[] now = {0};
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8), false, 10, () -> now[0]);
        p.start(100);
        now[0] = 5_000_000_000L;
        p.update(10);
        now[0] = 11_000_000_000L;
        p.update(20);
        p.finish(100);
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].contains("20/100"), lines[0]);
        assertTrue(lines[1].contains("100/100"), lines[1]);
    }
}
