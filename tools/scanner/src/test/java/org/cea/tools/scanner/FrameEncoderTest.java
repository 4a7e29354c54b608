package org.cea.tools.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cea.candecode.Hex;
import org.junit.jupiter.api.Test;

/** Expected bytes computed by hand from DESIGN.md's protocol table (little-endian, seq in byte 7). */
class FrameEncoderTest {
    @Test
    void pt100() {
        // 23.55 °C = 2355 = 0x0933; 18.20 °C = 1820 = 0x071C; seq 17 = 0x11
        assertEquals("33 09 1C 07 00 00 00 11", Hex.spaced(FrameEncoder.pt100(23.55, 18.2, 0, 17)));
        // -5.00 °C = -500 = 0xFE0C; status bit 0 dry fault
        assertEquals("0C FE 0C FE 01 00 00 FF", Hex.spaced(FrameEncoder.pt100(-5, -5, 1, 255)));
    }

    @Test
    void baro() {
        // 1013.2 hPa / 0.1 = 10132 = 0x2794; 21.07 °C = 2107 = 0x083B
        assertEquals("94 27 3B 08 00 00 00 00", Hex.spaced(FrameEncoder.baro(1013.2, 21.07, 0)));
    }

    @Test
    void scd30() {
        // 812 ppm = 0x032C; 24.30 °C = 2430 = 0x097E; 61.25 % = 6125 = 0x17ED; seq 256 wraps to 0
        assertEquals("2C 03 7E 09 ED 17 00 00", Hex.spaced(FrameEncoder.scd30(812, 24.3, 61.25, 256)));
    }

    @Test
    void waterAndLab() {
        // 19.50 °C = 1950 = 0x079E; 72.5 % / 0.5 = 145 = 0x91
        assertEquals("9E 07 91 00 00 00 00 03", Hex.spaced(FrameEncoder.water(19.5, 72.5, 3)));
        // 21.50 °C = 2150 = 0x0866; 45.00 % = 4500 = 0x1194
        assertEquals("66 08 94 11 00 00 00 04", Hex.spaced(FrameEncoder.lab(21.5, 45, 4)));
    }

    @Test
    void heartbeat() {
        // uptime 86400 s = 0x00015180; fw 1.2; error flags 0x05
        assertEquals("80 51 01 00 01 02 05 09", Hex.spaced(FrameEncoder.heartbeat(86_400, 1, 2, 5, 9)));
    }

    @Test
    void idIsNodeShiftedByEightOrType() {
        assertEquals(0x101, FrameEncoder.canId(1, FrameEncoder.PT100));
        assertEquals(0x40F, FrameEncoder.canId(4, FrameEncoder.HEARTBEAT));
    }
}
