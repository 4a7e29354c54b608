package org.cea.candecode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecodedMessageTest {
    private static final CanFrame FRAME = CanFrame.standard(0x101, new byte[8], 0);

    @Test
    void writesIntegersAsIntegersAndNonFiniteAsNull() {
        Map<String, Number> signals = new LinkedHashMap<>();
        signals.put("a", 17L);
        signals.put("b", 0.0);
        signals.put("c", -2.5);
        signals.put("d", Double.NaN);
        signals.put("e\"q", new BigInteger("18446744073709551615"));
        DecodedMessage m = new DecodedMessage(FRAME, "X", 1, signals);
        assertEquals("{\"a\":17,\"b\":0.0,\"c\":-2.5,\"d\":null,\"e\\\"q\":18446744073709551615}", m.toJson());
    }

    @Test
    void copiesACallersMapAndKeepsItsOrder() {
        Map<String, Number> signals = new LinkedHashMap<>();
        signals.put("z", 1L);
        signals.put("a", 2L);
        DecodedMessage m = new DecodedMessage(FRAME, "X", null, signals);
        signals.put("late", 3L);
        assertEquals(2, m.signals().size());
        assertEquals("{\"z\":1,\"a\":2}", m.toJson());
        assertThrows(UnsupportedOperationException.class, () -> m.signals().put("b", 1L));
    }

    @Test
    void validatesItsFields() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DecodedMessage(FRAME, null, 1, Map.of()));
        assertEquals("messageType must not be null", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new WrongLength(FRAME, "X", 1, 65));
        assertEquals("expectedLength must be 0..64, was 65", e.getMessage());
    }
}
