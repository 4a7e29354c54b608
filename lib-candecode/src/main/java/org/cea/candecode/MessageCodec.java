package org.cea.candecode;

import org.cea.candecode.dbc.DbcMessage;
import org.cea.candecode.dbc.DbcSignal;

/** Decodes the payload of one DBC message; precomputes what it can so the per-frame work is small. */
final class MessageCodec {
    private final DbcMessage message;
    private final DbcSignal[] signals;
    private final String[] names;
    private final int muxIndex;
    private final int maxBytesNeeded;

    MessageCodec(DbcMessage message) {
        this.message = message;
        this.signals = message.signals().toArray(new DbcSignal[0]);
        this.names = new String[signals.length];
        int mux = -1;
        int maxBytes = 0;
        for (int i = 0; i < signals.length; i++) {
            names[i] = signals[i].name();
            if (signals[i].isMultiplexer()) {
                mux = i;
            }
            maxBytes = Math.max(maxBytes, signals[i].bytesNeeded());
        }
        this.muxIndex = mux;
        this.maxBytesNeeded = maxBytes;
    }

    String name() {
        return message.name();
    }

    int length() {
        return message.length();
    }

    DecodedMessage decode(CanFrame frame, Integer node) {
        int n = frame.length();
        if (n > 8 && maxBytesNeeded > 8) {
            return decodeLong(frame, node);
        }
        long le = 0;
        long be = 0;
        int m = Math.min(n, 8);
        for (int i = m - 1; i >= 0; i--) {
            le = le << 8 | frame.byteAt(i);
        }
        for (int i = 0; i < m; i++) {
            be = be << 8 | frame.byteAt(i);
        }
        if (m > 0) {
            be <<= 8 * (8 - m);
        }
        boolean complete = n >= maxBytesNeeded;
        if (muxIndex < 0 && complete) {
            Number[] values = new Number[signals.length];
            for (int i = 0; i < signals.length; i++) {
                values[i] = signals[i].physical(signals[i].extract(le, be));
            }
            return new DecodedMessage(frame, message.name(), node, new SignalValues(names, values, values.length));
        }
        Long muxValue = muxIndex >= 0 && signals[muxIndex].fits(n) ? signals[muxIndex].extract(le, be) : null;
        String[] selectedNames = new String[signals.length];
        Number[] values = new Number[signals.length];
        int k = 0;
        for (DbcSignal s : signals) {
            if (s.fits(n) && selected(s, muxValue)) {
                selectedNames[k] = s.name();
                values[k++] = s.physical(s.extract(le, be));
            }
        }
        return new DecodedMessage(frame, message.name(), node, new SignalValues(selectedNames, values, k));
    }

    private static boolean selected(DbcSignal s, Long muxValue) {
        Integer wanted = s.multiplexerValue();
        return wanted == null || muxValue != null && muxValue == wanted.longValue();
    }

    private DecodedMessage decodeLong(CanFrame frame, Integer node) {
        byte[] data = frame.data();
        Long muxValue = muxIndex >= 0 && signals[muxIndex].fits(data.length) ? signals[muxIndex].rawValue(data) : null;
        String[] selectedNames = new String[signals.length];
        Number[] values = new Number[signals.length];
        int k = 0;
        for (DbcSignal s : signals) {
            if (s.fits(data.length) && selected(s, muxValue)) {
                selectedNames[k] = s.name();
                values[k++] = s.physical(s.rawValue(data));
            }
        }
        return new DecodedMessage(frame, message.name(), node, new SignalValues(selectedNames, values, k));
    }
}
