package org.cea.tools.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.MalformedInputException;
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
        try (AsciiLineReader r = new AsciiLineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)))) {
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
    void rejectsNonAsciiBytesLikeTheStrictDecoder() throws IOException {
        byte[] bytes = {'o', 'k', '\n', 'b', (byte) 0xC3, (byte) 0xA9, '\n'};
        try (AsciiLineReader r = new AsciiLineReader(new ByteArrayInputStream(bytes))) {
            assertEquals("ok", r.readLine());
            assertThrows(MalformedInputException.class, r::readLine);
        }
    }
}
