package org.cea.candecode.dbc;

import java.util.List;
import java.util.Map;
import org.cea.candecode.ConfigException;

/** A signal under construction: VAL_, CM_ and SIG_VALTYPE_ lines complete it after its SG_ line. */
final class SignalBuilder {
    int line;
    String name;
    int startBit;
    int length;
    DbcSignal.ByteOrder byteOrder;
    boolean signed;
    double factor;
    double offset;
    boolean integerScaling;
    double minimum;
    double maximum;
    String unit;
    List<String> receivers = List.of();
    boolean multiplexer;
    Integer multiplexerValue;
    Map<Long, String> choices = Map.of();
    String comment;
    DbcSignal.ValueType valueType = DbcSignal.ValueType.INTEGER;
    int valueTypeLine;

    DbcSignal build(String source, MessageBuilder message) {
        int atLine = valueTypeLine > 0 ? valueTypeLine : line;
        DbcSignal s;
        try {
            s = new DbcSignal(name, startBit, length, byteOrder, signed, valueType, factor, offset, integerScaling,
                    minimum, maximum, unit, receivers, multiplexer, multiplexerValue, choices, comment);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source, "line " + atLine + ": message " + message.name + ": " + e.getMessage(), e);
        }
        if (!s.fits(message.length)) {
            throw new ConfigException(source, "line " + line + ": signal " + name + ": start bit " + startBit
                    + " + length " + length + (byteOrder == DbcSignal.ByteOrder.BIG_ENDIAN ? " (Motorola)" : "")
                    + " exceeds the " + message.length * 8 + " bits of message " + message.name);
        }
        if (multiplexerValue != null && message.signals.values().stream().noneMatch(b -> b.multiplexer)) {
            throw new ConfigException(source, "line " + line + ": signal " + name + ": multiplexed (m"
                    + multiplexerValue + ") but message " + message.name + " has no multiplexer signal (M)");
        }
        return s;
    }
}
