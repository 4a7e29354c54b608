package org.cea.candecode;

/**
 * A frame with a known id whose payload length does not match the DBC message.
 *
 * @param frame          the frame, non-null
 * @param messageType    the DBC message name the id belongs to, non-null
 * @param nodeId         node address for node-addressed (facility) ids, null otherwise
 * @param expectedLength the DBC message length in bytes, 0..64
 */
public record WrongLength(CanFrame frame, String messageType, Integer nodeId, int expectedLength)
        implements DecodeResult {

    /** Checks the fields. */
    public WrongLength {
        if (frame == null) {
            throw new IllegalArgumentException("frame must not be null");
        }
        if (messageType == null) {
            throw new IllegalArgumentException("messageType must not be null");
        }
        if (expectedLength < 0 || expectedLength > 64) {
            throw new IllegalArgumentException("expectedLength must be 0..64, was " + expectedLength);
        }
    }

    /** cantools' wording: {@code Wrong data size: 10 instead of 1 bytes}. */
    public String describe() {
        return "Wrong data size: " + frame.length() + " instead of " + expectedLength + " bytes";
    }
}
