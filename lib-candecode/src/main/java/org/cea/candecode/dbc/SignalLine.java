package org.cea.candecode.dbc;

import java.util.List;

/** Parses the rest of one {@code SG_} line into a {@link SignalBuilder}. */
final class SignalLine {
    private final DbcScanner in;
    private final int line;

    SignalLine(DbcScanner in, int line) {
        this.in = in;
        this.line = line;
    }

    SignalBuilder parse(MessageBuilder message) {
        SignalBuilder s = new SignalBuilder();
        s.line = line;
        s.name = in.identifier("the signal name");
        if (message.signals.containsKey(s.name)) {
            throw in.errorAt(line, s.name, "a signal name not used before in message " + message.name);
        }
        String mux = in.peekIdentifier();
        if (mux != null) {
            in.identifier("a multiplexer indicator");
            multiplexing(s, mux);
        }
        in.expect(':', "':' after the signal name");
        layout(s);
        scaling(s);
        rangeAndUnit(s);
        List<String> receivers = in.restOfLineWords();
        s.receivers = receivers;
        return s;
    }

    /** {@code start|length@order sign}. */
    private void layout(SignalBuilder s) {
        s.startBit = integer("the start bit");
        in.expect('|', "'|' between start bit and length");
        s.length = integer("the length in bits");
        in.expect('@', "'@' before the byte order");
        char order = in.rawChar("byte order 0 (Motorola) or 1 (Intel)");
        if (order != '0' && order != '1') {
            throw in.errorAt(line, String.valueOf(order), "byte order 0 (Motorola) or 1 (Intel)");
        }
        s.byteOrder = order == '1' ? DbcSignal.ByteOrder.LITTLE_ENDIAN : DbcSignal.ByteOrder.BIG_ENDIAN;
        char sign = in.rawChar("'+' (unsigned) or '-' (signed)");
        if (sign != '+' && sign != '-') {
            throw in.errorAt(line, String.valueOf(sign), "'+' (unsigned) or '-' (signed)");
        }
        s.signed = sign == '-';
    }

    /** {@code (factor,offset)}. */
    private void scaling(SignalBuilder s) {
        in.expect('(', "'(' before factor,offset");
        String factor = in.number("the factor");
        in.expect(',', "',' between factor and offset");
        String offset = in.number("the offset");
        in.expect(')', "')' after factor,offset");
        s.factor = decimal(s, factor, "the factor");
        s.offset = decimal(s, offset, "the offset");
        s.integerScaling = isInteger(factor) && isInteger(offset);
    }

    /** {@code [min|max] "unit"}. */
    private void rangeAndUnit(SignalBuilder s) {
        in.expect('[', "'[' before min|max");
        s.minimum = decimal(s, in.number("the minimum"), "the minimum");
        in.expect('|', "'|' between min and max");
        s.maximum = decimal(s, in.number("the maximum"), "the maximum");
        in.expect(']', "']' after min|max");
        s.unit = in.stringOnLine("the unit");
        if (s.unit == null) {
            throw in.failAt(line, "signal " + s.name + ": the unit string has no closing '\"' on its line");
        }
    }

    private void multiplexing(SignalBuilder s, String token) {
        if (token.equals("M")) {
            s.multiplexer = true;
            return;
        }
        if (token.matches("m\\d+")) {
            s.multiplexerValue = Integer.parseInt(token.substring(1));
            return;
        }
        throw in.errorAt(line, token, "a multiplexer indicator M or mN (extended multiplexing mNM is not supported)");
    }

    private int integer(String what) {
        String t = in.number(what);
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw in.errorAt(line, t, "an integer for " + what);
        }
    }

    private double decimal(SignalBuilder s, String t, String what) {
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw in.errorAt(line, t, "a number for " + what);
        }
        if (!Double.isFinite(v)) {
            throw in.failAt(line, "signal " + s.name + ": " + what + " '" + t
                    + "' is not a finite number (outside the range of a double)");
        }
        return v;
    }

    private static boolean isInteger(String t) {
        return t.matches("[-+]?\\d+") && t.length() < 18;
    }
}
