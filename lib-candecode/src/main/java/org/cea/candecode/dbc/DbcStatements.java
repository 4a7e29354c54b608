package org.cea.candecode.dbc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cea.candecode.ConfigException;

/**
 * One parse of DBC text (see {@link DbcParser} for what is read): the scanner state and the
 * messages being built, one method per section keyword. Used once.
 */
final class DbcStatements {
    private static final String CYCLE_TIME = "GenMsgCycleTime";
    private static final Set<String> KEYWORDS = Set.of("VERSION", "NS_", "BS_", "BU_", "BO_", "SG_", "CM_",
            "BA_DEF_", "BA_DEF_DEF_", "BA_", "VAL_", "VAL_TABLE_", "SIG_VALTYPE_", "EV_", "BO_TX_BU_",
            "SIG_GROUP_", "SG_MUL_VAL_", "BA_DEF_REL_", "BA_REL_", "BA_DEF_DEF_REL_", "CAT_DEF_", "CAT_",
            "FILTER", "ENVVAR_DATA_", "SGTYPE_", "SIG_TYPE_REF_", "SIGTYPE_VALTYPE_", "BU_SG_REL_", "BU_EV_REL_",
            "BU_BO_REL_", "BA_DEF_SGTYPE_", "BA_SGTYPE_", "SGTYPE_VAL_", "EV_DATA_", "NS_DESC_");

    private final DbcScanner in;
    private final String source;
    private String version = "";
    private final List<String> nodes = new ArrayList<>();
    private final Map<Long, MessageBuilder> messages = new LinkedHashMap<>();
    private final Map<String, String> attributeDefaults = new HashMap<>();
    private MessageBuilder current;

    DbcStatements(String source, String text) {
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
            if (!b.name.equals(DbcParser.INDEPENDENT_SIGNALS)) {
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
        if (!name.equals(DbcParser.INDEPENDENT_SIGNALS)) {
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
