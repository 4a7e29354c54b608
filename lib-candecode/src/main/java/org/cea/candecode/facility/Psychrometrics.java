package org.cea.candecode.facility;

/**
 * Psychrometric relations of FAO Irrigation and Drainage Paper 56 (Allen et al., 1998), chapter 3.
 * Temperatures in °C, pressures in kPa, relative humidity in percent.
 */
public final class Psychrometrics {
    /** FAO-56 a_psy for a ventilated (Asmann type, air movement about 5 m/s) psychrometer, 1/°C. */
    public static final double A_PSY_VENTILATED = 0.000662;
    /** FAO-56 a_psy for a naturally ventilated psychrometer (about 1 m/s), 1/°C. */
    public static final double A_PSY_NATURAL = 0.000800;
    /** FAO-56 a_psy for a non-ventilated psychrometer installed indoors, 1/°C. */
    public static final double A_PSY_INDOOR = 0.0012;
    /** Standard atmospheric pressure at sea level, kPa. */
    public static final double STANDARD_PRESSURE_KPA = 101.325;

    private Psychrometrics() {
    }

    /** Saturation vapour pressure e°(T) in kPa at air temperature {@code tC} (°C); FAO-56 eq. 11. */
    public static double saturationKpa(double tC) {
        return 0.6108 * Math.exp(17.27 * tC / (tC + 237.3));
    }

    /**
     * Actual vapour pressure e_a in kPa from a psychrometer; FAO-56 eqs. 15–16:
     * {@code e_a = e°(T_wet) − a_psy · P · (T_dry − T_wet)}.
     *
     * @param tDry dry-bulb temperature, °C
     * @param tWet wet-bulb temperature, °C
     * @param pKpa atmospheric pressure, kPa
     * @param aPsy psychrometer coefficient, 1/°C (see the {@code A_PSY_*} constants)
     */
    public static double actualVapourKpa(double tDry, double tWet, double pKpa, double aPsy) {
        return saturationKpa(tWet) - aPsy * pKpa * (tDry - tWet);
    }

    /**
     * Relative humidity in percent, {@code 100 · e_a / e°(T_dry)}. Not clamped: a wet bulb above the
     * dry bulb gives more than 100, a large depression below 0 (callers treat both as invalid).
     */
    public static double rhPct(double tDry, double tWet, double pKpa, double aPsy) {
        return 100.0 * actualVapourKpa(tDry, tWet, pKpa, aPsy) / saturationKpa(tDry);
    }

    /** Vapour pressure deficit in kPa, {@code e°(T_dry) · (1 − RH/100)}. */
    public static double vpdKpa(double tDry, double rhPct) {
        return saturationKpa(tDry) * (1.0 - rhPct / 100.0);
    }

    /** Atmospheric pressure in kPa at an elevation in metres above sea level; FAO-56 eq. 7. */
    public static double pressureKpaAtElevation(double elevationM) {
        return 101.3 * Math.pow((293.0 - 0.0065 * elevationM) / 293.0, 5.26);
    }
}
