package org.cea.tools.api;

import java.time.Instant;
import java.util.Map;

/** One sensor's live value as JSON: the rows of {@code GET /api/sensors} and of the WebSocket messages. */
final class SensorRow {
    private SensorRow() {
    }

    /** One sensor as JSON, the same shape as {@code GET /api/sensors} rows. */
    static Map<String, Object> of(SensorCatalog catalog, SensorInfo info, LiveReading r, long nowMillis, long staleAfterMs) {
        Long age = r.tsMillis() == null ? null : Math.max(0, nowMillis - r.tsMillis());
        boolean stale = r.isStale(nowMillis, staleAfterMs);
        SensorCatalog.CurrentBand band = catalog.band(info, Instant.ofEpochMilli(nowMillis));
        String state = r.value() == null ? "no_data" : stale ? "stale" : band.contains(r.value()) ? "in_band" : "out_of_band";
        return Json.obj("name", info.name(), "room", info.room(), "unit", info.unit(), "value", info.round(r.value()),
                "ts", r.tsMillis(), "age_ms", age, "stale", stale, "label", info.label(), "room_label", info.roomLabel(),
                "precision", info.precision(), "state", state, "band", Json.obj("min", info.round(band.min()),
                        "max", info.round(band.max()), "source", band.source(), "rules", band.rules()));
    }
}
