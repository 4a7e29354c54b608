package org.cea.candecode.dbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cea.candecode.ConfigException;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed and oversized DBC files (issue 17): each is a {@link ConfigException} naming the file,
 * the line and the field, never a silently wrong parse or an OutOfMemoryError. The inputs are
 * hand-written files under {@code src/test/resources/dbc-hardening}.
 */
class DbcParserLimitsTest {
    private static final Path DIR = TestServers.projectRoot().resolve("lib-candecode/src/test/resources/dbc-hardening");

    private static ConfigException fails(Path file) {
        return assertThrows(ConfigException.class, () -> DbcParser.parse(file));
    }

    @Test
    void anUnterminatedUnitStringIsAnErrorAtItsLineAndDoesNotSwallowTheNextSignal() {
        Path f = DIR.resolve("unterminated-unit.dbc");
        ConfigException e = fails(f);
        assertEquals(f + ": line 3: signal a: the unit string has no closing '\"' on its line", e.getMessage());
    }

    @Test
    void aFactorOutsideTheDoubleRangeIsAnErrorNotInfinity() {
        Path f = DIR.resolve("factor-overflow.dbc");
        ConfigException e = fails(f);
        assertEquals(f + ": line 3: signal a: the factor '1e400' is not a finite number (outside the range of a double)",
                e.getMessage());
    }

    @Test
    void aUtf8ByteOrderMarkIsAcceptedAndTheFileReadAsUtf8() {
        Dbc dbc = DbcParser.parse(DIR.resolve("utf8-bom.dbc"));
        assertEquals("1", dbc.version());
        DbcSignal a = dbc.messageById(100, false).orElseThrow().signal("a").orElseThrow();
        assertEquals("\u00B0C", a.unit());
        assertEquals(0.5, a.factor());
    }

    @Test
    void aByteOrderMarkReadThroughAReaderIsSkipped() {
        Dbc dbc = DbcParser.parse("r.dbc", new java.io.StringReader("\uFEFFVERSION \"2\"\nBO_ 1 M: 1 N\n SG_ s : 0|8@1+ (1,0) [0|0] \"\" N\n"));
        assertEquals("2", dbc.version());
    }

    @Test
    void bytesThatAreNoTextAreAnErrorNamingTheLine() {
        Path f = DIR.resolve("binary-garbage.dbc");
        ConfigException e = fails(f);
        assertTrue(e.getMessage().startsWith(f + ": line 4: "), e.getMessage());
        assertTrue(e.getMessage().contains("byte 0x8F"), e.getMessage());
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedBeforeReading(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("huge.dbc");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(3L * 1024 * 1024 * 1024); // sparse: no disk, but more than a String can hold
        }
        ConfigException e = fails(f);
        assertEquals(f + ": the DBC file is 3221225472 bytes, more than the limit of " + DbcParser.MAX_FILE_BYTES
                + " bytes (is this a DBC file?)", e.getMessage());
    }

    @Test
    void aLineOverTheLengthLimitIsAnErrorNamingTheLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("long-line.dbc");
        Files.writeString(f, "VERSION \"\"\nCM_ \"" + "x".repeat(DbcParser.MAX_LINE_CHARS + 1) + "\";\n", DbcParser.CP1252);
        ConfigException e = fails(f);
        assertEquals(f + ": line 2: longer than " + DbcParser.MAX_LINE_CHARS + " characters (is this a DBC file?)",
                e.getMessage());
    }

    @Test
    void aReaderLongerThanTheSizeLimitIsRefused() {
        Reader endless = new Reader() {
            @Override
            public int read(char[] buf, int off, int len) {
                java.util.Arrays.fill(buf, off, off + len, '\n');
                return len;
            }

            @Override
            public void close() {
            }
        };
        ConfigException e = assertThrows(ConfigException.class, () -> DbcParser.parse("endless.dbc", endless));
        assertEquals("endless.dbc: the DBC text is longer than the limit of " + DbcParser.MAX_FILE_BYTES
                + " characters (is this a DBC file?)", e.getMessage());
    }
}
