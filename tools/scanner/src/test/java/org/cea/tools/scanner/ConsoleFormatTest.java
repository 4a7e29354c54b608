package org.cea.tools.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneOffset;
import org.cea.candecode.CanFrame;
import org.cea.candecode.FrameDecoder;
import org.cea.candecode.facility.FacilityProfile;
import org.junit.jupiter.api.Test;

class ConsoleFormatTest {
    private final FrameDecoder decoder = FrameDecoder.forFacility(FacilityProfile.loadDefault(FacilitySimulatorTest.etc()));
    private final ConsoleFormat console = new ConsoleFormat(ZoneOffset.UTC);
    /** 2024-12-11 12:34:56.789 UTC. */
    private static final long TS = 1_733_920_496_789_000L;

    @Test
    void printsLikeTheOldScanner() {
        CanFrame f = CanFrame.standard(0x101, new byte[] {0x33, 0x09, 0x1C, 0x07, 0, 0, 0, 0x11}, TS);
        assertEquals("[2024-12-11 12:34:56.789] [0x101] [Node 1] PT100: Dry=23.55°C, Wet=18.2°C",
                console.line(decoder.decode(f)));
    }

    @Test
    void printsHeartbeatAndUnknownFrames() {
        CanFrame hb = CanFrame.standard(0x40F, new byte[] {(byte) 0x80, 0x51, 0x01, 0, 1, 2, 0, 9}, TS);
        assertEquals("[2024-12-11 12:34:56.789] [0x40F] [Node 4] HEARTBEAT: Uptime=86400s, FW=1.2",
                console.line(decoder.decode(hb)));
        CanFrame unknown = CanFrame.standard(0x7F0, new byte[] {(byte) 0xAA, 0x01}, TS);
        assertEquals("[2024-12-11 12:34:56.789] [0x7F0] Unknown: AA 01", console.line(decoder.decode(unknown)));
    }
}
