package org.cea.candecode;

/**
 * A frame whose id the DBC does not define (also remote and error frames, which carry no signals).
 *
 * @param frame the frame, non-null
 */
public record UnknownFrame(CanFrame frame) implements DecodeResult {

    /** Checks that the frame is present. */
    public UnknownFrame {
        if (frame == null) {
            throw new IllegalArgumentException("frame must not be null");
        }
    }

    /** cantools' wording: {@code Unknown frame id 499 (0x1f3)}. */
    public String describe() {
        return "Unknown frame id " + frame.id() + " (0x" + Integer.toHexString(frame.id()) + ")";
    }
}
