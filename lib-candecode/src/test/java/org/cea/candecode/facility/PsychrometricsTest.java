package org.cea.candecode.facility;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Published values from FAO Irrigation and Drainage Paper 56 (Allen et al., 1998), chapter 3 and Annex 2. */
class PsychrometricsTest {
    private static final double KPA = 0.005;
    private static final double RH = 0.1;

    @Test
    void saturationVapourPressureMatchesFaoExample3() {
        // Example 3: e°(15 °C) = 1.705 kPa, e°(24.5 °C) = 3.075 kPa
        assertEquals(1.705, Psychrometrics.saturationKpa(15.0), KPA);
        assertEquals(3.075, Psychrometrics.saturationKpa(24.5), KPA);
    }

    @Test
    void saturationVapourPressureMatchesFaoAnnexTable() {
        // Annex 2, Table 2.3: e°(20) = 2.338, e°(25) = 3.168, e°(1) = 0.657 kPa
        assertEquals(2.338, Psychrometrics.saturationKpa(20.0), KPA);
        assertEquals(3.168, Psychrometrics.saturationKpa(25.0), KPA);
        assertEquals(0.657, Psychrometrics.saturationKpa(1.0), KPA);
    }

    @Test
    void actualVapourPressureMatchesFaoExample4() {
        // Example 4: ventilated psychrometer, T_dry 25.6 °C, T_wet 19.5 °C, elevation 1200 m (P = 87.9 kPa) -> e_a = 1.91 kPa
        assertEquals(1.91, Psychrometrics.actualVapourKpa(25.6, 19.5, 87.9, Psychrometrics.A_PSY_VENTILATED), KPA);
    }

    @Test
    void pressureAtElevationMatchesFaoExample2() {
        // Example 2 / Example 4: z = 1800 m -> P = 81.8 kPa; z = 1200 m -> P = 87.9 kPa
        assertEquals(81.8, Psychrometrics.pressureKpaAtElevation(1800), 0.05);
        assertEquals(87.9, Psychrometrics.pressureKpaAtElevation(1200), 0.05);
    }

    @Test
    void relativeHumidityDependsOnThePsychrometerType() {
        // at P = 101.325 kPa, T_dry 25 °C, T_wet 20 °C: 63.2 % ventilated, 61.0 % natural, 54.6 % indoor
        assertEquals(63.2, Psychrometrics.rhPct(25, 20, 101.325, Psychrometrics.A_PSY_VENTILATED), RH);
        assertEquals(61.0, Psychrometrics.rhPct(25, 20, 101.325, Psychrometrics.A_PSY_NATURAL), RH);
        assertEquals(54.6, Psychrometrics.rhPct(25, 20, 101.325, Psychrometrics.A_PSY_INDOOR), RH);
    }

    @Test
    void vapourPressureDeficitUsesSaturationAtTheDryBulb() {
        // e°(25) = 3.168 kPa (Annex 2): at 63.2 % RH, VPD = 3.168 * (1 - 0.632) = 1.166 kPa
        assertEquals(1.166, Psychrometrics.vpdKpa(25, 63.2), KPA);
        assertEquals(0.0, Psychrometrics.vpdKpa(25, 100), 1e-12);
    }
}
