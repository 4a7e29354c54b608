package org.cea.tools.decode;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.cea.candecode.CanFrame;
import org.cea.candecode.DecodeResult;
import org.cea.candecode.DecodedMessage;
import org.cea.candecode.FrameDecoder;
import org.cea.candecode.Hex;
import org.cea.candecode.Json;
import org.cea.candecode.UnknownFrame;
import org.cea.candecode.WrongLength;
import org.cea.candecode.dbc.Dbc;
import org.cea.candecode.dbc.DbcMessage;
import org.cea.candecode.dbc.DbcSignal;

/** Decodes one input line to its output text, in cantools {@code decode}'s formats or JSON lines. */
final class LineDecoder {
    /** Output options. */
    record Options(boolean json, boolean singleLine, boolean prune) {
    }

    private final Dbc dbc;
    private final FrameDecoder decoder;
    private final boolean nodeAddressed;
    private final Options options;

    LineDecoder(Dbc dbc, FrameDecoder decoder, boolean nodeAddressed, Options options) {
        this.dbc = dbc;
        this.decoder = decoder;
        this.nodeAddressed = nodeAddressed;
        this.options = options;
    }

    /** The output for one line (without the final line end; may span several lines). */
    String decode(String line) {
        InputLine in = InputLine.parse(line);
        if (in == null) {
            return options.json() ? "{\"line\": " + quote(line) + ", \"frame\": null}" : line;
        }
        CanFrame frame = toFrame(in);
        if (frame == null) {
            return oversized(line, in);
        }
        DecodeResult r = decoder.decode(frame);
        if (nodeAddressed && r instanceof UnknownFrame && frame.extended() && frame.id() <= CanFrame.MAX_STANDARD_ID
                && !frame.rtr() && !frame.fd()) {
            // a log that writes standard ids in extended form (00000101#): decoded by the numeric id, like
            // cantools; the facility decoder itself stays exact for the live bus
            r = decoder.decode(CanFrame.data(frame.id(), false, frame.data(), frame.timestampMicros()));
        }
        if (r instanceof DecodedMessage m) {
            return decoded(line, in, m);
        }
        String error = r instanceof WrongLength w ? w.describe() : ((UnknownFrame) r).describe();
        return failed(line, in, r instanceof WrongLength w ? w.messageType() : null, error);
    }

    private static CanFrame toFrame(InputLine in) {
        int max = in.extended() ? CanFrame.MAX_EXTENDED_ID : CanFrame.MAX_STANDARD_ID;
        if (in.id() > max) {
            return null;
        }
        long ts = in.timestampMicros();
        if (in.remote()) {
            return CanFrame.remote(in.id(), in.extended(), 0, ts);
        }
        int n = in.data().length;
        if (n <= 8) {
            return CanFrame.data(in.id(), in.extended(), in.data(), ts);
        }
        if (CanFrame.isValidFdLength(n)) {
            return new CanFrame(in.id(), in.extended(), false, false, true, 0, n, in.data(), ts);
        }
        return null;
    }

    /** A payload no CAN frame can carry: report it as cantools does, by the message its id names. */
    private String oversized(String line, InputLine in) {
        // the same lookup as the frame decoder: exact (id, form) first, then the numeric id (cantools)
        Optional<DbcMessage> m = nodeAddressed
                ? (in.extended() && in.id() > CanFrame.MAX_STANDARD_ID ? Optional.empty()
                        : dbc.messageById(in.id() & 0xFF, false))
                : dbc.messageById(in.id(), in.extended()).or(() -> dbc.messageById(in.id(), !in.extended()));
        if (m.isPresent()) {
            return failed(line, in, m.get().name(),
                    "Wrong data size: " + in.data().length + " instead of " + m.get().length() + " bytes");
        }
        return failed(line, in, null, "Unknown frame id " + in.id() + " (0x" + Integer.toHexString(in.id()) + ")");
    }

    private String failed(String line, InputLine in, String messageName, String error) {
        if (!options.json()) {
            return line + " :: " + error;
        }
        StringBuilder sb = header(line, in);
        if (messageName != null) {
            sb.append(", \"message\": ");
            Json.appendString(sb, messageName);
        }
        sb.append(", \"error\": ");
        Json.appendString(sb, error);
        return sb.append('}').toString();
    }

    private String decoded(String line, InputLine in, DecodedMessage m) {
        DbcMessage message = dbc.messageByName(m.messageType()).orElseThrow();
        byte[] data = m.frame().data();
        if (options.json()) {
            return json(line, in, m, message, data);
        }
        String indent = options.singleLine() ? "" : "    ";
        String sep = options.singleLine() ? ", " : ",\n";
        StringBuilder sb = new StringBuilder(line).append(options.singleLine() ? " :: " : " ::\n");
        sb.append(m.messageType()).append(options.singleLine() ? "(" : "(\n");
        boolean first = true;
        for (DbcSignal s : message.signals()) {
            Number v = m.signals().get(s.name());
            if (v == null) {
                continue;
            }
            if (!first) {
                sb.append(sep);
            }
            first = false;
            sb.append(indent).append(s.name()).append(": ");
            String choice = choice(s, data);
            if (choice != null) {
                sb.append(choice);
            } else {
                sb.append(PyFormat.value(v));
                if (!s.unit().isEmpty()) {
                    sb.append(' ').append(s.unit());
                }
            }
        }
        return sb.append(options.singleLine() ? ")" : "\n)").toString();
    }

    private String json(String line, InputLine in, DecodedMessage m, DbcMessage message, byte[] data) {
        StringBuilder sb = header(line, in);
        sb.append(", \"message\": ");
        Json.appendString(sb, m.messageType());
        if (m.nodeId() != null) {
            sb.append(", \"node_id\": ").append(m.nodeId());
        }
        StringBuilder signals = new StringBuilder("{");
        StringBuilder raw = new StringBuilder("{");
        for (Map.Entry<String, Number> e : m.signals().entrySet()) {
            DbcSignal s = message.signal(e.getKey()).orElseThrow();
            if (signals.length() > 1) {
                signals.append(", ");
                raw.append(", ");
            }
            Json.appendString(signals, s.name());
            Json.appendString(raw, s.name());
            signals.append(": ");
            raw.append(": ");
            String choice = choice(s, data);
            if (choice != null) {
                Json.appendString(signals, choice);
            } else {
                signals.append(PyFormat.json(e.getValue()));
            }
            raw.append(rawText(s, data));
        }
        sb.append(", \"signals\": ").append(signals).append("}, \"raw\": ").append(raw).append('}');
        return sb.append('}').toString();
    }

    private static String rawText(DbcSignal s, byte[] data) {
        long raw = s.rawValue(data);
        return switch (s.valueType()) {
            case FLOAT32 -> PyFormat.json((double) Float.intBitsToFloat((int) raw));
            case FLOAT64 -> PyFormat.json(Double.longBitsToDouble(raw));
            default -> !s.signed() && raw < 0 ? Long.toUnsignedString(raw) : Long.toString(raw);
        };
    }

    private StringBuilder header(String line, InputLine in) {
        StringBuilder sb = new StringBuilder("{\"line\": ").append(quote(line));
        sb.append(", \"frame_id\": ").append(in.id());
        sb.append(", \"is_extended\": ").append(in.extended());
        sb.append(", \"is_remote\": ").append(in.remote());
        sb.append(", \"data\": \"").append(Hex.compact(in.data()).toLowerCase(Locale.ROOT)).append('"');
        if (in.timestamp() != null) {
            sb.append(", \"timestamp\": ").append(in.timestamp());
        }
        return sb;
    }

    private String choice(DbcSignal s, byte[] data) {
        if (s.choices().isEmpty()) {
            return null;
        }
        String c = s.choice(s.rawValue(data));
        if (c == null || !options.prune()) {
            return c;
        }
        return c.substring(prunedPrefixLength(s));
    }

    /** cantools {@code --prune}: strip the prefix all choice names of a signal share, up to its last '_'. */
    private static int prunedPrefixLength(DbcSignal s) {
        if (s.choices().size() < 2) {
            return 0;
        }
        String prefix = null;
        for (String name : s.choices().values()) {
            if (prefix == null) {
                prefix = name;
            } else {
                int i = 0;
                while (i < prefix.length() && i < name.length() && prefix.charAt(i) == name.charAt(i)) {
                    i++;
                }
                prefix = prefix.substring(0, i);
            }
        }
        return prefix == null ? 0 : prefix.lastIndexOf('_') + 1;
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder();
        Json.appendString(sb, s);
        return sb.toString();
    }
}
