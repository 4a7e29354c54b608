package org.cea.tools.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A checked export request: what {@code /api/export} or {@code /api/export/messages} will stream.
 *
 * @param sensors  sensor names in the order asked, or null for the {@code can_messages} rows
 * @param from     start, inclusive
 * @param to       end, exclusive
 * @param filename the download's file name
 */
record ExportRequest(List<String> sensors, Instant from, Instant to, String filename) {

    /**
     * Checks {@code /api/export?sensors=&from=&to=&format=csv} ({@code messages}: false) or
     * {@code /api/export/messages?from=&to=&format=csv} (true): any range (default the 24 h before
     * {@code now}), sensors a comma-separated list of known names or {@code all}, format {@code csv}.
     *
     * @throws ApiException 400 naming the parameter, 404 for an unknown sensor
     */
    static ExportRequest of(QueryParams p, boolean messages, SensorCatalog catalog, Instant now) {
        String format = p.string("format");
        if (format != null && !format.equals("csv")) {
            throw ApiException.badParameter("format", "parameter 'format' must be csv, was '" + format + "'");
        }
        Instant[] range = p.range(now, Duration.ofHours(24), null);
        String stamp = range[0].toString().replace(":", "") + "_" + range[1].toString().replace(":", "");
        if (messages) {
            return new ExportRequest(null, range[0], range[1], "can_messages_" + stamp + ".csv");
        }
        List<String> names = sensors(p.string("sensors"), catalog);
        String what = names.size() == 1 ? names.get(0) : names.size() + "_sensors";
        return new ExportRequest(names, range[0], range[1], "readings_" + what + "_" + stamp + ".csv");
    }

    private static List<String> sensors(String list, SensorCatalog catalog) {
        if (list == null || list.isBlank()) {
            throw ApiException.badParameter("sensors", "parameter 'sensors' is required: comma-separated sensor names"
                    + " (e.g. dry_bulb_b,wet_bulb_b) or 'all'");
        }
        List<String> names = new ArrayList<>();
        if (list.trim().equals("all")) {
            names.addAll(catalog.names());
            return names;
        }
        for (String n : list.split(",", -1)) {
            String name = n.trim();
            if (catalog.sensor(name).isEmpty()) {
                throw ApiException.badParameter("sensors", "parameter 'sensors': unknown sensor '" + name
                        + "'; known sensors: " + String.join(", ", catalog.names()));
            }
            if (names.contains(name)) {
                throw ApiException.badParameter("sensors", "parameter 'sensors' names '" + name + "' twice");
            }
            names.add(name);
        }
        return names;
    }
}
