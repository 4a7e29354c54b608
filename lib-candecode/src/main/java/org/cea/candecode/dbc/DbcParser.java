package org.cea.candecode.dbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cea.candecode.ConfigException;

/**
 * Reads DBC files: {@code BO_}, {@code SG_} (both byte orders, signed, scale/offset, min/max, unit,
 * simple multiplexing {@code M}/{@code mN}), {@code VAL_}, {@code SIG_VALTYPE_}, {@code CM_},
 * {@code BA_DEF_DEF_} and {@code BA_} (GenMsgCycleTime kept per message). Other sections are
 * skipped. Files are read as cp1252 (the de-facto DBC encoding), or UTF-8 after a UTF-8 byte
 * order mark, with CRLF or LF line ends; a file is at most {@link #MAX_FILE_BYTES} bytes, a line at
 * most {@link #MAX_LINE_CHARS} characters, and numbers must be finite doubles.
 * Errors are {@link ConfigException}s naming the file, the line and the token. This class reads
 * and checks the text; {@link DbcStatements} parses its statements.
 */
public final class DbcParser {
    /** The charset DBC files are read with. */
    public static final Charset CP1252 = Charset.forName("windows-1252");
    /**
     * Largest DBC file read, bytes (4 MiB; the largest public vehicle DBCs are about 1 MiB). The
     * tools run in heaps of 24-96 MiB, so a bigger file is refused before it is read.
     */
    public static final int MAX_FILE_BYTES = 4 * 1024 * 1024;
    /** Longest line accepted, characters (64 Ki): a longer one is not DBC text. */
    public static final int MAX_LINE_CHARS = 64 * 1024;
    /** Name of the pseudo message that holds signals attached to no message; it is dropped. */
    static final String INDEPENDENT_SIGNALS = "VECTOR__INDEPENDENT_SIG_MSG";
    private static final char BOM = '\uFEFF';

    private DbcParser() {
    }

    /**
     * Parses a DBC file: cp1252, or UTF-8 when it starts with a UTF-8 byte order mark (which is
     * skipped). At most {@link #MAX_FILE_BYTES} bytes and lines of at most {@link #MAX_LINE_CHARS}.
     *
     * @throws ConfigException naming the file, line and token of the first error, a byte that is no
     *                         character (with its line), a file or line over the limit, or the I/O error
     */
    public static Dbc parse(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw tooBig(file.toString(), size);
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_FILE_BYTES + 1); // the size may change while we read (or be a pipe's 0)
            }
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot read DBC file: " + e, e);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw tooBig(file.toString(), bytes.length);
        }
        return parseText(file.toString(), decode(file.toString(), bytes));
    }

    /**
     * Parses DBC text from a reader (the caller chose the charset; cp1252 for DBC files). A leading
     * byte order mark (U+FEFF) is skipped; at most {@link #MAX_FILE_BYTES} characters are read.
     *
     * @param sourceName file or source name used in error messages
     * @throws ConfigException naming the source, line and token of the first error, or text over the limit
     */
    public static Dbc parse(String sourceName, Reader reader) {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[8192];
        try {
            for (int n; (n = reader.read(buf)) >= 0; ) {
                if (sb.length() + n > MAX_FILE_BYTES) {
                    throw new ConfigException(sourceName, "the DBC text is longer than the limit of " + MAX_FILE_BYTES
                            + " characters (is this a DBC file?)");
                }
                sb.append(buf, 0, n);
            }
        } catch (IOException e) {
            throw new ConfigException(sourceName, "cannot read DBC: " + e, e);
        }
        if (sb.length() > 0 && sb.charAt(0) == BOM) {
            sb.deleteCharAt(0);
        }
        return parseText(sourceName, sb.toString());
    }

    private static ConfigException tooBig(String source, long size) {
        return new ConfigException(source, "the DBC file is " + size + " bytes, more than the limit of " + MAX_FILE_BYTES
                + " bytes (is this a DBC file?)");
    }

    /**
     * The file's text: UTF-8 after a UTF-8 byte order mark, else cp1252. A byte that is no character
     * (cp1252's five undefined bytes, malformed UTF-8) is an error naming its line and offset.
     */
    static String decode(String source, byte[] bytes) {
        boolean utf8 = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF;
        int start = utf8 ? 3 : 0;
        Charset cs = utf8 ? StandardCharsets.UTF_8 : CP1252;
        CharsetDecoder d = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = d.decode(in, out, true);
        if (!r.isError()) {
            r = d.flush(out);
        }
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new ConfigException(source, String.format("line %d: byte 0x%02X at offset %d is not a character in %s"
                    + " (a DBC file is cp1252 text, or UTF-8 after a byte order mark; is this a DBC file?)",
                    line, bytes[at] & 0xFF, at, utf8 ? "UTF-8" : "cp1252"));
        }
        return out.flip().toString();
    }

    private static Dbc parseText(String sourceName, String text) {
        checkLineLengths(sourceName, text);
        return new DbcStatements(sourceName, text).parse();
    }

    private static void checkLineLengths(String source, String text) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                if (i - lineStart > MAX_LINE_CHARS) {
                    throw new ConfigException(source, "line " + line + ": longer than " + MAX_LINE_CHARS
                            + " characters (is this a DBC file?)");
                }
                line++;
                lineStart = i + 1;
            }
        }
    }
}
