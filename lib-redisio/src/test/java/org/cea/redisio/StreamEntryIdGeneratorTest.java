package org.cea.redisio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StreamEntryIdGeneratorTest {
    @Test
    void countsWithinAMillisecondAndNeverGoesBack() {
        EntryIdGenerator g = new EntryIdGenerator();
        assertEquals("100-0", g.next(100));
        assertEquals("100-1", g.next(100));
        assertEquals("100-2", g.next(99));
        assertEquals("101-0", g.next(101));
    }

    @Test
    void advancesPastTheStreamTop() {
        EntryIdGenerator g = new EntryIdGenerator();
        g.advancePast("500-7");
        assertEquals("500-8", g.next(400));
        g.advancePast("10-0");
        assertEquals("500-9", g.next(500));
        assertTrue(EntryIdGenerator.compare("500-10", "500-9") > 0);
    }

    @Test
    void rejectsMalformedIds() {
        assertThrows(IllegalArgumentException.class, () -> EntryIdGenerator.parse("abc-1"));
        assertThrows(IllegalArgumentException.class, () -> EntryIdGenerator.parse("-1-1"));
        assertThrows(IllegalArgumentException.class, () -> new FrameEntry("x", org.cea.candecode.CanFrame.standard(1, new byte[0], 0)));
    }
}
