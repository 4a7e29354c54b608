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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cea.candecode.ConfigException;

/**
 * Reads DBC files: {@code BO_}, {@code SG_} (both byte orders, signed, scale/offset, min/max, unit,
 * simple multiplexing {@code M}/{@code mN}), {@code VAL_}, {@code SIG_VALTYPE_}, {@code CM_},
 * {@code BA_DEF_DEF_} and {@code BA_} (GenMsgCycleTime kept per message). Other sections are
 * skipped. Files are read as cp1252 (the de-facto DBC encoding), or UTF-8 after a UTF-8 byte
 * order mark, with CRLF or LF line ends; a file is at most {@link #MAX_FILE_BYTES} bytes, a line at
 * most {@link #MAX_LINE_CHARS} characters, and numbers must be finite doubles.
 * Errors are {@link ConfigException}s naming the file, the line and the token.
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
    private static final String CYCLE_TIME = "GenMsgCycleTime";
    private static final Set<String> KEYWORDS = Set.of("VERSION", "NS_", "BS_", "BU_", "BO_", "SG_", "CM_",
            "BA_DEF_", "BA_DEF_DEF_", "BA_", "VAL_", "VAL_TABLE_", "SIG_VALTYPE_", "EV_", "BO_TX_BU_",
            "SIG_GROUP_", "SG_MUL_VAL_", "BA_DEF_REL_", "BA_REL_", "BA_DEF_DEF_REL_", "CAT_DEF_", "CAT_",
            "FILTER", "ENVVAR_DATA_", "SGTYPE_", "SIG_TYPE_REF_", "SIGTYPE_VALTYPE_", "BU_SG_REL_", "BU_EV_REL_",
            "BU_BO_REL_", "BA_DEF_SGTYPE_", "BA_SGTYPE_", "SGTYPE_VAL_", "EV_DATA_", "NS_DESC_");

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
        return new Run(sourceName, text).parse();
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

    /** One parse: the scanner state and the messages being built. */
    private static final class Run {
        private final DbcScanner in;
        private final String source;
        private String version = "";
        private final List<String> nodes = new ArrayList<>();
        private final Map<Long, MessageBuilder> messages = new LinkedHashMap<>();
        private final Map<String, String> attributeDefaults = new HashMap<>();
        private MessageBuilder current;

        Run(String source, String text) {
            this.source = source;
            this.in = new DbcScanner(source, text);
        }

        Dbc parse() {
            while (true) {
                in.skipWhitespace();
                if (in.atEnd()) {
                    break;
                }
                int line = in.line();
                String keyword = in.identifier("a section keyword such as BO_ or SG_");
                statement(keyword, line);
            }
            List<DbcMessage> built = new ArrayList<>();
            for (MessageBuilder b : messages.values()) {
                if (!b.name.equals(INDEPENDENT_SIGNALS)) {
                    built.add(b.build(source, attributeDefaults.get(CYCLE_TIME)));
                }
            }
            try {
                return new Dbc(source, version, nodes, built);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(source, e.getMessage(), e);
            }
        }

        private void statement(String keyword, int line) {
            switch (keyword) {
                case "VERSION" -> version = in.string("the VERSION string");
                case "NS_" -> in.skipIndentedBlock();
                case "BU_" -> nodes();
                case "BO_" -> message(line);
                case "SG_" -> signal(line);
                case "CM_" -> comment();
                case "BA_DEF_DEF_" -> attributeDefault();
                case "BA_" -> attribute();
                case "VAL_" -> valueDescriptions();
                case "SIG_VALTYPE_" -> valueType(line);
                default -> {
                    if (!KEYWORDS.contains(keyword)) {
                        throw in.error(keyword, "a section keyword (BO_, SG_, CM_, BA_, VAL_, ...)");
                    }
                    in.skipStatement(KEYWORDS);
                }
            }
        }

        private void nodes() {
            in.expect(':', "':' after BU_");
            nodes.addAll(in.restOfLineWords());
        }

        private void message(int line) {
            String idToken = in.number("the message id");
            long raw = parseLong(idToken, "message id");
            String name = in.identifier("the message name");
            in.expect(':', "':' after the message name");
            String dlcToken = in.number("the message length");
            int length = (int) parseLong(dlcToken, "message length");
            String sender = in.optionalIdentifier();
            boolean extended = (raw & 0x80000000L) != 0 || (raw & 0x1FFFFFFFL) > 0x7FF;
            int id = (int) (raw & (extended ? 0x1FFFFFFFL : 0x7FFL));
            if (!name.equals(INDEPENDENT_SIGNALS)) {
                if (raw > 0xFFFFFFFFL || (raw & 0x60000000L) != 0) {
                    throw in.errorAt(line, idToken, "a message id 0..0x1FFFFFFF, with bit 31 set for an extended id");
                }
                if (length > 64) {
                    throw in.errorAt(line, dlcToken, "a message length 0..64 bytes");
                }
            }
            current = new MessageBuilder(id, extended, name, Math.min(length, 64), sender == null ? "" : sender, line);
            if (messages.putIfAbsent(raw, current) != null) {
                throw in.errorAt(line, idToken, "a message id not defined before (duplicate BO_ " + idToken + ")");
            }
        }

        private void signal(int line) {
            if (current == null) {
                throw in.errorAt(line, "SG_", "a BO_ message before its SG_ signals");
            }
            current.addSignal(new SignalLine(in, line).parse(current));
        }

        private void comment() {
            String target = in.peekIdentifier();
            if (target == null) {
                in.string("the comment text");
                in.expect(';', "';' ending CM_");
                return;
            }
            in.identifier("the comment target");
            switch (target) {
                case "BO_" -> {
                    MessageBuilder m = messageFor(in.number("a message id"));
                    String text = in.string("the comment text");
                    if (m != null) {
                        m.comment = text;
                    }
                }
                case "SG_" -> {
                    MessageBuilder m = messageFor(in.number("a message id"));
                    String sig = in.identifier("a signal name");
                    String text = in.string("the comment text");
                    if (m != null && m.signals.containsKey(sig)) {
                        m.signals.get(sig).comment = text;
                    }
                }
                default -> {
                    in.identifier("the commented object's name");
                    in.string("the comment text");
                }
            }
            in.expect(';', "';' ending CM_");
        }

        private void attributeDefault() {
            String name = in.string("the attribute name");
            String value = in.value("the default value");
            in.expect(';', "';' ending BA_DEF_DEF_");
            attributeDefaults.put(name, value);
        }

        private void attribute() {
            String name = in.string("the attribute name");
            String target = in.peekIdentifier();
            MessageBuilder message = null;
            if (target != null) {
                in.identifier("the attribute target");
                switch (target) {
                    case "BO_" -> message = messageFor(in.number("a message id"));
                    case "SG_" -> {
                        in.number("a message id");
                        in.identifier("a signal name");
                    }
                    default -> in.identifier("the object's name");
                }
            }
            int line = in.line();
            String value = in.value("the attribute value");
            in.expect(';', "';' ending BA_");
            if (message != null) {
                message.attributes.put(name, value);
                if (name.equals(CYCLE_TIME)) {
                    message.cycleTime = (int) parseNumberAt(line, value, "a GenMsgCycleTime in ms");
                }
            }
        }

        private void valueDescriptions() {
            String first = in.peekIdentifier();
            if (first != null) {
                in.skipStatement(KEYWORDS);
                return;
            }
            MessageBuilder m = messageFor(in.number("a message id"));
            String sig = in.identifier("a signal name");
            Map<Long, String> choices = new LinkedHashMap<>();
            while (!in.tryExpect(';')) {
                String v = in.number("a raw value or ';'");
                choices.put((long) Double.parseDouble(v), in.string("the value description"));
            }
            if (m != null && m.signals.containsKey(sig)) {
                m.signals.get(sig).choices = choices;
            }
        }

        private void valueType(int line) {
            String idToken = in.number("a message id");
            MessageBuilder m = messageFor(idToken);
            String sig = in.identifier("a signal name");
            in.tryExpect(':');
            String type = in.number("a value type 0, 1 (float32) or 2 (float64)");
            in.expect(';', "';' ending SIG_VALTYPE_");
            DbcSignal.ValueType vt = switch (type) {
                case "0" -> DbcSignal.ValueType.INTEGER;
                case "1" -> DbcSignal.ValueType.FLOAT32;
                case "2" -> DbcSignal.ValueType.FLOAT64;
                default -> throw in.errorAt(line, type, "a value type 0, 1 (float32) or 2 (float64)");
            };
            if (m == null || !m.signals.containsKey(sig)) {
                throw in.errorAt(line, sig, "a signal defined in BO_ " + idToken);
            }
            m.signals.get(sig).valueType = vt;
            m.signals.get(sig).valueTypeLine = line;
        }

        private MessageBuilder messageFor(String idToken) {
            return messages.get(parseLong(idToken, "message id"));
        }

        private long parseLong(String token, String what) {
            try {
                return Long.parseLong(token);
            } catch (NumberFormatException e) {
                throw in.error(token, "an integer " + what);
            }
        }

        private double parseNumberAt(int line, String token, String what) {
            try {
                return Double.parseDouble(token);
            } catch (NumberFormatException e) {
                throw in.errorAt(line, token, what);
            }
        }
    }

    /** A message under construction (VAL_, CM_, BA_ and SIG_VALTYPE_ come after BO_). */
    static final class MessageBuilder {
        final int id;
        final boolean extended;
        final String name;
        final int length;
        final String sender;
        final int line;
        final Map<String, SignalBuilder> signals = new LinkedHashMap<>();
        final Map<String, String> attributes = new LinkedHashMap<>();
        String comment;
        Integer cycleTime;

        MessageBuilder(int id, boolean extended, String name, int length, String sender, int line) {
            this.id = id;
            this.extended = extended;
            this.name = name;
            this.length = length;
            this.sender = sender;
            this.line = line;
        }

        void addSignal(SignalBuilder s) {
            signals.put(s.name, s);
        }

        DbcMessage build(String source, String defaultCycleTime) {
            List<DbcSignal> built = new ArrayList<>();
            for (SignalBuilder s : signals.values()) {
                built.add(s.build(source, this));
            }
            Integer cycle = cycleTime;
            if (cycle == null && defaultCycleTime != null) {
                try {
                    cycle = (int) Double.parseDouble(defaultCycleTime);
                } catch (NumberFormatException e) {
                    cycle = null;
                }
            }
            try {
                return new DbcMessage(id, extended, name, length, sender, built, comment, cycle, attributes);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(source, "line " + line + ": " + e.getMessage(), e);
            }
        }
    }
}
