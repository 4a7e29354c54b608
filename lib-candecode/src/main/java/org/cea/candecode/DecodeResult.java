package org.cea.candecode;

/**
 * What {@link FrameDecoder#decode} makes of one frame: a decoded message, an unknown id, or a
 * known id with the wrong payload length. Never an exception.
 */
public sealed interface DecodeResult permits DecodedMessage, UnknownFrame, WrongLength {

    /** The frame this result is about. */
    CanFrame frame();
}
