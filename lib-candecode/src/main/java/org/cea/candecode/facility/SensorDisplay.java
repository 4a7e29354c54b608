package org.cea.candecode.facility;

/**
 * How a sensor is shown to a grower (optional keys of {@code facility.json}): its display name and
 * the number of decimals its values are rounded to.
 *
 * @param label     display name, e.g. {@code Dry bulb}; non-empty (the sensor name when none is configured)
 * @param precision decimals shown and served, 0..6
 */
public record SensorDisplay(String label, int precision) {
    /** Decimals used when {@code facility.json} gives none: the DBC's finest factor is 0.01. */
    public static final int DEFAULT_PRECISION = 2;
    /** Most decimals allowed. */
    public static final int MAX_PRECISION = 6;

    /** Validates the fields; messages name the field and the limit. */
    public SensorDisplay {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("label must be non-empty");
        }
        if (precision < 0 || precision > MAX_PRECISION) {
            throw new IllegalArgumentException("precision must be 0.." + MAX_PRECISION + " decimals, was " + precision);
        }
    }

    /**
     * {@code value} rounded half-up to {@link #precision} decimals (as decimal text would show it);
     * non-finite values are returned unchanged.
     */
    public double round(double value) {
        if (!Double.isFinite(value)) {
            return value;
        }
        return java.math.BigDecimal.valueOf(value).setScale(precision, java.math.RoundingMode.HALF_UP).doubleValue();
    }
}
