package org.cea.tools.scanner;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.cea.candecode.CanFrame;
import org.cea.candecode.DecodeResult;
import org.cea.candecode.DecodedMessage;
import org.cea.candecode.UnknownFrame;
import org.cea.candecode.WrongLength;

/**
 * The old scanner's console line, one per frame:
 * {@code [2024-12-11 12:34:56.789] [0x101] [Node 1] PT100: Dry=23.55°C, Wet=18.2°C}.
 * Rendered by one function so it can be tested without a terminal.
 */
final class ConsoleFormat {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);
    /** Signal name to label and unit; signals not listed print as name=value; seq is not printed. */
    private static final Map<String, String[]> LABELS = Map.ofEntries(
            Map.entry("temp_dry_c", new String[] {"Dry", "°C"}),
            Map.entry("temp_wet_c", new String[] {"Wet", "°C"}),
            Map.entry("pressure_hpa", new String[] {"Pressure", "hPa"}),
            Map.entry("temp_c", new String[] {"Temp", "°C"}),
            Map.entry("co2_ppm", new String[] {"CO2", "ppm"}),
            Map.entry("rh_pct", new String[] {"RH", "%"}),
            Map.entry("water_temp_c", new String[] {"Water", "°C"}),
            Map.entry("level_pct", new String[] {"Level", "%"}),
            Map.entry("uptime_s", new String[] {"Uptime", "s"}),
            Map.entry("status", new String[] {"Status", ""}),
            Map.entry("error_flags", new String[] {"Errors", ""}));

    private final ZoneId zone;

    /** Times in {@code zone}. */
    ConsoleFormat(ZoneId zone) {
        this.zone = zone;
    }

    /** The console line for one decode result (no line terminator). */
    String line(DecodeResult r) {
        CanFrame f = r.frame();
        StringBuilder sb = new StringBuilder(96);
        sb.append('[').append(TIME.format(Instant.ofEpochSecond(0, f.timestampMicros() * 1000).atZone(zone)))
                .append("] [").append(f.idHex()).append("] ");
        if (r instanceof DecodedMessage m) {
            if (m.nodeId() != null) {
                sb.append("[Node ").append(m.nodeId()).append("] ");
            }
            sb.append(m.messageType()).append(": ");
            appendSignals(sb, m.signals());
        } else if (r instanceof WrongLength w) {
            if (w.nodeId() != null) {
                sb.append("[Node ").append(w.nodeId()).append("] ");
            }
            sb.append(w.messageType()).append(": wrong length ").append(f.length()).append(", expected ")
                    .append(w.expectedLength()).append(": ").append(f.dataHex());
        } else if (r instanceof UnknownFrame) {
            sb.append("Unknown: ").append(f.dataHex());
        }
        return sb.toString();
    }

    private static void appendSignals(StringBuilder sb, Map<String, Number> signals) {
        boolean first = true;
        Number major = signals.get("fw_major");
        Number minor = signals.get("fw_minor");
        for (Map.Entry<String, Number> e : signals.entrySet()) {
            String name = e.getKey();
            if ("seq".equals(name) || "fw_major".equals(name) || "fw_minor".equals(name)
                    || ("status".equals(name) || "error_flags".equals(name)) && e.getValue().longValue() == 0) {
                continue;
            }
            String[] label = LABELS.get(name);
            sb.append(first ? "" : ", ").append(label == null ? name : label[0]).append('=')
                    .append(number(e.getValue())).append(label == null ? "" : label[1]);
            first = false;
        }
        if (major != null && minor != null) {
            sb.append(first ? "" : ", ").append("FW=").append(major.longValue()).append('.').append(minor.longValue());
        }
    }

    private static String number(Number n) {
        if (n instanceof Double d) {
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString(d.longValue());
            }
            // decoded scaled values carry binary noise (25.080000000000002); six decimals is finer than any facility factor
            return java.math.BigDecimal.valueOf(d).setScale(6, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                    .toPlainString();
        }
        return n.toString();
    }
}
