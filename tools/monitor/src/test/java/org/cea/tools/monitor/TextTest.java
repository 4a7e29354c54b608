package org.cea.tools.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TextTest {
    @Test
    void agesSwitchUnitsAtTenSecondsTwoMinutesAndTwoHours() {
        assertEquals("0.0 s", Text.age(-5));
        assertEquals("9.9 s", Text.age(9_949));
        assertEquals("10 s", Text.age(10_000));
        assertEquals("119 s", Text.age(119_999));
        assertEquals("2 min", Text.age(120_000));
        assertEquals("119 min", Text.age(7_199_999));
        assertEquals("2 h", Text.age(7_200_000));
    }

    @Test
    void valuesKeepAtMostThreeDecimalsWithoutFloatingNoise() {
        assertEquals("24.99", Text.value(24.990000000000002));
        assertEquals("910", Text.value(910.0));
        assertEquals("1.248", Text.value(1.2484288));
        assertEquals("0", Text.value(0.0001));
        assertEquals("-3.5", Text.value(-3.5));
    }

    @Test
    void cutsLongLinesWithAnEllipsis() {
        assertEquals("abc", Text.cut("abc", 3));
        assertEquals("ab…", Text.cut("abcd", 3));
    }
}
