package org.cea.candecode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected lines come from the JDK's {@link BufferedReader#readLine()} on the same text. */
class AsciiLineReaderTest {
    private static List<String> jdkLines(String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new StringReader(text))) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                out.add(l);
            }
        }
        return out;
    }

    private static List<String> asciiLines(String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (AsciiLineReader r = new AsciiLineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), 1 << 20)) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                out.add(l);
            }
        }
        return out;
    }

    @Test
    void splitsLinesLikeBufferedReaderForEveryTerminator() throws IOException {
        for (String text : List.of("", "\n", "a", "a\n", "a\nb", "a\r\nb\r\n", "a\rb\r", "\r\n\r\n", "a\n\nb\n",
                "(1734001123.000100) can0 101#CC09A30700000000\n(1734001123.000200) can0 102#R\r\n",
                "x\r\r\ny\n\r")) {
            assertEquals(jdkLines(text), asciiLines(text), () -> "text \"" + text.replace("\r", "\\r").replace("\n", "\\n") + "\"");
        }
    }

    @Test
    void keepsLinesThatCrossTheBufferBoundary() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            sb.append("(1734001123.").append(String.format("%06d", i % 1_000_000)).append(") can0 ")
                    .append("1".repeat(1 + i % 300)).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        sb.append("last line without terminator");
        String text = sb.toString();
        assertEquals(jdkLines(text), asciiLines(text));
    }

    @Test
    void aLineWithANonAsciiByteIsABadLineAndReadingGoesOn() throws IOException {
        byte[] bytes = {'o', 'k', '\n', 'b', (byte) 0xC3, (byte) 0xA9, '\r', '\n', 'n', 'e', 'x', 't'};
        try (AsciiLineReader r = new AsciiLineReader(new ByteArrayInputStream(bytes), 100)) {
            assertEquals("ok", r.readLine());
            AsciiLineReader.BadLineException e = assertThrows(AsciiLineReader.BadLineException.class, r::readLine);
            assertEquals("byte 0xC3 at column 2 is not US-ASCII (a candump log is ASCII text)", e.getMessage());
            assertEquals("next", r.readLine());
            assertNull(r.readLine());
        }
    }

    @Test
    void aLineOverTheLimitIsABadLineWhereverItEnds() throws IOException {
        String text = "12345\n123456\n" + "x".repeat(200_000) + "\nlast\n" + "y".repeat(70_000);
        try (AsciiLineReader r = new AsciiLineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), 5)) {
            assertEquals("12345", r.readLine(), "exactly the limit is fine");
            assertThrows(AsciiLineReader.BadLineException.class, r::readLine);
            assertThrows(AsciiLineReader.BadLineException.class, r::readLine);
            assertEquals("last", r.readLine());
            assertThrows(AsciiLineReader.BadLineException.class, r::readLine, "unterminated last line");
            assertNull(r.readLine());
        }
    }

    /** A log whose line 11 is a UTF-8 comment replays every frame around it, the bad line named and counted. */
    @Test
    void candumpReaderSkipsANonAsciiCommentAndReadsOn() {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            if (i == 10) {
                log.append("# température\n");
            }
            log.append(String.format("(1734001123.%06d) can0 %03X#%02X00%n", i * 100, 0x100 + i % 16, i & 0xFF));
        }
        CandumpReader r = CandumpReader.ascii(new ByteArrayInputStream(log.toString().getBytes(StandardCharsets.UTF_8)), true);
        int frames = 0;
        while (r.next() != null) {
            frames++;
        }
        assertEquals(2000, frames);
        assertEquals(1, r.badLines());
        assertEquals(11, r.lastError().lineNumber());
        assertTrue(r.lastError().getMessage().startsWith("candump line 11: byte 0xC3 at column 7 is not US-ASCII"),
                r.lastError().getMessage());
        assertEquals(2001, r.lineNumber());
    }

    /** A 3 GiB line (more than any array can hold) is one bad line; memory stays bounded. */
    @Test
    void candumpReaderSkipsAHugeLineInBoundedMemory() {
        byte[] head = "(1734001123.000100) can0 101#01\n(1734001123.000200) can0 ".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\n(1734001123.000300) can0 102#02\n".getBytes(StandardCharsets.US_ASCII);
        long huge = 3L << 30;
        InputStream in = new InputStream() {
            private long at;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int n) {
                long total = head.length + huge + tail.length;
                if (at >= total) {
                    return -1;
                }
                int k = (int) Math.min(n, total - at);
                for (int i = 0; i < k; i++, at++) {
                    b[off + i] = at < head.length ? head[(int) at]
                            : at < head.length + huge ? (byte) '7' : tail[(int) (at - head.length - huge)];
                }
                return k;
            }
        };
        CandumpReader r = CandumpReader.ascii(in, true);
        assertEquals(0x101, r.next().id());
        assertEquals(0x102, r.next().id());
        assertNull(r.next());
        assertEquals(1, r.badLines());
        assertEquals("candump line 2: longer than 4096 bytes (a candump line is under 200)", r.lastError().getMessage());
    }
}
