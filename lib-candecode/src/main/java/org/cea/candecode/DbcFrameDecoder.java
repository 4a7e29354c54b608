package org.cea.candecode;

import java.util.HashMap;
import java.util.Map;
import org.cea.candecode.dbc.Dbc;
import org.cea.candecode.dbc.DbcMessage;

/**
 * The {@link FrameDecoder}: array lookup for standard ids, a hash map for extended ones.
 *
 * <p>Identity is exact first: a frame is decoded by the message with its id <em>and</em> form
 * (standard or extended) when the DBC has one. Otherwise it falls back to the message with the
 * same numeric id in the other form, as cantools does (it looks messages up by the numeric id
 * alone): real captures often write standard ids in extended form ({@code 00000123#}, 8 hex
 * digits) while the DBC declares the message standard ({@code BO_ 291}). With both forms declared,
 * each frame keeps its own message. This fallback is {@link FrameDecoder#forDbc}'s; the facility
 * decoder ({@link FrameDecoder#forFacility}, the live pipeline) stays exact, so that an extended
 * frame from a foreign device on the bus never becomes a node's reading.
 */
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
            // exact: on the facility's bus an extended frame is never a node's frame (can-decode
            // falls back for logs written by other tools, LineDecoder)
            codec = frame.extended() ? null : standard[frame.id() & TYPE_MASK];
            node = frame.id() >>> NODE_SHIFT;
        } else if (frame.extended()) {
            codec = extended.get(frame.id());
            if (codec == null && frame.id() <= CanFrame.MAX_STANDARD_ID) {
                codec = standard[frame.id()];
            }
        } else {
            codec = standard[frame.id()];
            if (codec == null) {
                codec = extended.get(frame.id());
            }
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
