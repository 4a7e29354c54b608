package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cea.candecode.CanFrame;
import org.cea.candecode.DecodedMessage;
import org.cea.candecode.UnknownFrame;
import org.cea.candecode.WrongLength;
import org.junit.jupiter.api.Test;

class MessageRowFromTest {
    // PT100 from node 1: dry 23.55 degC = 2355 = 0x0933, wet 18.20 degC = 1820 = 0x071C, status 0, seq 17
    private static final byte[] PT100 = {0x33, 0x09, 0x1C, 0x07, 0x00, 0x00, 0x00, 0x11};

    @Test
    void decodedMessageKeepsTypeNodeAndSignalsAsJson() {
        CanFrame f = CanFrame.standard(0x101, PT100, 1_734_001_123_123_456L);
        Map<String, Number> signals = new LinkedHashMap<>();
        signals.put("temp_dry_c", 23.55);
        signals.put("temp_wet_c", 18.2);
        signals.put("status", 0L);
        signals.put("seq", 17L);
        MessageRow row = MessageRow.from(new DecodedMessage(f, "PT100", 1, signals), "1734001123123-0");
        assertEquals(new MessageRow("1734001123123-0", 1_734_001_123_123_456L, 0x101, false, 1, "PT100", 8,
                "33 09 1C 07 00 00 00 11", "{\"temp_dry_c\":23.55,\"temp_wet_c\":18.2,\"status\":0,\"seq\":17}"), row);
    }

    @Test
    void unknownExtendedFrameHasNoTypeNodeOrJson() {
        CanFrame f = CanFrame.data(0x123, true, new byte[] {(byte) 0xAA, (byte) 0xFF}, 5);
        assertEquals(new MessageRow(null, 5, 0x123, true, null, null, 2, "AA FF", null),
                MessageRow.from(new UnknownFrame(f), null));
    }

    @Test
    void wrongLengthKeepsTypeAndNodeWithoutJson() {
        CanFrame f = CanFrame.standard(0x305, new byte[] {0x01}, 9);
        assertEquals(new MessageRow("9-0", 9, 0x305, false, 3, "LAB", 1, "01", null),
                MessageRow.from(new WrongLength(f, "LAB", 3, 8), "9-0"));
    }
}
