package org.cea.candecode;

import java.util.HashMap;
import java.util.Map;
import org.cea.candecode.dbc.Dbc;
import org.cea.candecode.dbc.DbcMessage;

/** The {@link FrameDecoder}: array lookup for standard ids, a hash map for extended ones. */
final class DbcFrameDecoder implements FrameDecoder {
    private static final int NODE_SHIFT = 8;
    private static final int TYPE_MASK = 0xFF;

    private final MessageCodec[] standard = new MessageCodec[CanFrame.MAX_STANDARD_ID + 1];
    private final Map<Integer, MessageCodec> extended = new HashMap<>();
    private final LengthPolicy policy;
    private final boolean nodeAddressed;

    DbcFrameDecoder(Dbc dbc, LengthPolicy policy, boolean nodeAddressed) {
        if (dbc == null || policy == null) {
            throw new IllegalArgumentException("dbc and policy must not be null");
        }
        this.policy = policy;
        this.nodeAddressed = nodeAddressed;
        for (DbcMessage m : dbc.messages()) {
            if (m.extended()) {
                extended.put(m.id(), new MessageCodec(m));
            } else {
                standard[m.id()] = new MessageCodec(m);
            }
        }
    }

    @Override
    public DecodeResult decode(CanFrame frame) {
        if (frame.rtr() || frame.error()) {
            return new UnknownFrame(frame);
        }
        MessageCodec codec;
        Integer node = null;
        if (nodeAddressed) {
            codec = frame.extended() ? null : standard[frame.id() & TYPE_MASK];
            node = frame.id() >>> NODE_SHIFT;
        } else {
            codec = frame.extended() ? extended.get(frame.id()) : standard[frame.id()];
        }
        if (codec == null) {
            return new UnknownFrame(frame);
        }
        int n = frame.length();
        int expected = codec.length();
        if (n != expected && (policy == LengthPolicy.EXACT || n < expected && policy == LengthPolicy.ALLOW_EXCESS)) {
            return new WrongLength(frame, codec.name(), node, expected);
        }
        return codec.decode(frame, node);
    }
}
