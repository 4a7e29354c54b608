package org.cea.redisio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LiveValuesTest {
    @Test
    void keysFollowTheContract() {
        assertEquals("sensor:co2_v", LiveKeys.valueKey("co2_v"));
        assertEquals("sensor:co2_v:ts", LiveKeys.tsKey("co2_v"));
        assertEquals("sensor:updates", LiveKeys.CHANNEL);
    }

    @Test
    void valuesArePlainDecimals() {
        assertEquals("412.0", LiveKeys.plain(412));
        assertEquals("0.0001", LiveKeys.plain(0.0001));
        assertEquals("-12.5", LiveKeys.plain(-12.5));
        assertEquals("12345678901", LiveKeys.plain(1.2345678901E10));
        assertThrows(IllegalArgumentException.class, () -> LiveKeys.plain(Double.NaN));
    }

    @Test
    void updatesAreValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LiveUpdate("co2_v", Double.POSITIVE_INFINITY, "ppm", 1));
        assertTrue(e.getMessage().contains("co2_v"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LiveUpdate("", 1, "ppm", 1));
        assertThrows(IllegalArgumentException.class, () -> new LiveUpdate("co2_v", 1, "ppm", -1));
        assertThrows(IllegalArgumentException.class, () -> new LiveValue("co2_v", 1, -1));
    }

    @Test
    void subscriberParsesPublishedJsonAndRejectsOtherShapes() {
        LiveUpdate u = new LiveUpdate("rh_b", 61.25, "%", 1734001123123L);
        assertEquals(u, LiveSubscriber.parse(LiveStateWriter.json(u)));
        assertNull(LiveSubscriber.parse("not json"));
        assertNull(LiveSubscriber.parse("[1,2]"));
        assertNull(LiveSubscriber.parse("{\"name\":\"x\"}"));
        assertNull(LiveSubscriber.parse("{\"name\":\"x\",\"value\":\"abc\",\"ts\":1}"));
    }

    @Test
    void consumerConfigNamesTheFieldAndLimit() {
        ConsumerConfig ok = ConsumerConfig.defaults("host-1");
        assertEquals("can:raw", ok.stream());
        assertEquals("can-worker", ok.group());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ok.withBlockMs(0));
        assertEquals("blockMs must be 1..60000, was 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ok.withConsumer("a b"));
        assertTrue(e.getMessage().startsWith("consumer must be"), e.getMessage());
        assertTrue(ConsumerConfig.defaultConsumerName().endsWith("-" + ProcessHandle.current().pid()));
        assertTrue(StreamConsumer.minSocketTimeoutMs(ok) > ok.blockMs());
    }

    @Test
    void entryIdsCompareNumerically() {
        assertTrue(EntryIds.compare("9-0", "10-0") < 0);
        assertTrue(EntryIds.compare("10-2", "10-10") < 0);
        assertEquals(0, EntryIds.compare("5-1", "5-1"));
    }
}
