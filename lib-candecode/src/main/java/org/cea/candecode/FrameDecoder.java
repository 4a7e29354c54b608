package org.cea.candecode;

import org.cea.candecode.dbc.Dbc;
import org.cea.candecode.facility.FacilityProfile;

/**
 * Decodes frames with a DBC. Thread-safe and allocation-light (one value array and the boxed
 * values per frame; see scripts/bench-decode.sh). {@link #decode} never throws for a bad frame:
 * unknown ids, remote and error frames give {@link UnknownFrame}, a wrong payload length gives
 * {@link WrongLength}.
 */
public interface FrameDecoder {

    /** How a payload length that differs from the DBC message length is treated. */
    enum LengthPolicy {
        /** The length must equal the DBC length (cantools' {@code decode} command). */
        EXACT,
        /** Longer payloads decode, extra bytes ignored (cantools' library default). */
        ALLOW_EXCESS,
        /** Also shorter payloads decode; signals not wholly inside the payload are left out. */
        ALLOW_TRUNCATED
    }

    /**
     * Decodes one frame.
     *
     * @param frame a received frame
     * @return the decoded message, or why it could not be decoded
     */
    DecodeResult decode(CanFrame frame);

    /** Looks frames up by their full id (and extended flag) with exact lengths; {@code nodeId} is null. */
    static FrameDecoder forDbc(Dbc dbc) {
        return forDbc(dbc, LengthPolicy.EXACT);
    }

    /** Looks frames up by their full id (and extended flag) with the given length policy. */
    static FrameDecoder forDbc(Dbc dbc, LengthPolicy policy) {
        return new DbcFrameDecoder(dbc, policy, false);
    }

    /**
     * Node-addressed decoding for the facility profile: a standard id is {@code node << 8 | type},
     * the message is the DBC message whose id is {@code type}, {@code nodeId} is {@code node}.
     * Extended ids are unknown frames. Lengths must be exact.
     */
    static FrameDecoder forFacility(FacilityProfile profile) {
        return new DbcFrameDecoder(profile.dbc(), LengthPolicy.EXACT, true);
    }
}
