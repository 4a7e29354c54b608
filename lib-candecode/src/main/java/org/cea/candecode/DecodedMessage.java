package org.cea.candecode;

import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A decoded frame: the DBC message name and the physical value of each signal, in DBC order.
 * Integer signals (integer factor and offset) are {@link Long} (or {@link BigInteger} for unsigned
 * 64-bit values above {@link Long#MAX_VALUE}); scaled and floating-point signals are {@link Double}.
 *
 * @param frame       the frame, non-null
 * @param messageType the DBC message name, e.g. {@code PT100}, non-null
 * @param nodeId      node address for node-addressed (facility) ids, null for plain DBC lookup
 * @param signals     signal name to physical value (unit as in the DBC), non-null, unmodifiable
 */
public record DecodedMessage(CanFrame frame, String messageType, Integer nodeId, Map<String, Number> signals)
        implements DecodeResult {

    /** Checks the fields; a map not built by the decoder is copied (order kept) and made unmodifiable. */
    public DecodedMessage {
        if (frame == null) {
            throw new IllegalArgumentException("frame must not be null");
        }
        if (messageType == null) {
            throw new IllegalArgumentException("messageType must not be null");
        }
        if (signals == null) {
            throw new IllegalArgumentException("signals must not be null");
        }
        if (!(signals instanceof SignalValues)) {
            signals = Collections.unmodifiableMap(new LinkedHashMap<>(signals));
        }
    }

    /**
     * The signals as a JSON object for {@code decoded_data}, e.g.
     * {@code {"temp_dry_c":23.55,"temp_wet_c":18.2,"status":0,"seq":17}}: integer signals as JSON
     * integers, others as JSON numbers, NaN and infinities as {@code null}.
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder(16 + signals.size() * 24);
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, Number> e : signals.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            Json.appendString(sb, e.getKey());
            sb.append(':');
            Json.appendNumber(sb, e.getValue());
        }
        return sb.append('}').toString();
    }
}
