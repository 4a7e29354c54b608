package org.cea.tools.api;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cea.redisio.Alert;
import org.cea.redisio.RedisIoException;
import org.cea.tools.api.ApiHandler.Reply;
import org.cea.tsdb.ReadingRow;

/**
 * {@code GET /api/sensors} and {@code /api/sensors/{name}}: live values from Redis with display
 * name, band and state; a sensor whose live key expired carries its last known reading (pub/sub,
 * else the database's newest row, cached for {@link #LAST_SEEN_CACHE}).
 */
final class LiveSensors {
    /** How long the database's newest readings are reused for "last seen" of expired live values. */
    static final Duration LAST_SEEN_CACHE = Duration.ofSeconds(10);
    private final SensorCatalog catalog;
    private final LiveState live;
    private final HistorySource history;
    private final LiveHub hub;
    private final Clock clock;
    private final long staleAfterMs;
    private volatile Map<String, ReadingRow> lastSeenDb = Map.of();
    private volatile long lastSeenDbAt = Long.MIN_VALUE;

    LiveSensors(SensorCatalog catalog, LiveState live, HistorySource history, LiveHub hub, Clock clock,
                long staleAfterMs) {
        this.catalog = catalog;
        this.live = live;
        this.history = history;
        this.hub = hub;
        this.clock = clock;
        this.staleAfterMs = staleAfterMs;
    }

    /** Every sensor's live value in one Redis round trip, with the rooms and the stale limit. */
    Reply sensors() {
        Map<String, LiveReading> all = readLive(catalog.names());
        Set<String> faulted = faultedSensors();
        long now = clock.millis();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SensorInfo s : catalog.sensors()) {
            rows.add(row(s, all.get(s.name()), now, faulted));
        }
        return Reply.json(200, Json.obj("ts", now, "stale_after_ms", staleAfterMs, "time_zone", catalog.zone().getId(),
                "rooms", rooms(), "sensors", rows));
    }

    /** One known sensor's row. */
    Reply sensor(SensorInfo s) {
        LiveReading r = readLive(List.of(s.name())).get(s.name());
        return Reply.json(200, row(s, r, clock.millis(), faultedSensors()));
    }

    /** Rooms in profile order: name, display name, CAN node, lights schedule (or null). */
    private List<Map<String, Object>> rooms() {
        List<Map<String, Object>> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (SensorInfo s : catalog.sensors()) {
            if (seen.add(s.room())) {
                SensorCatalog.Lights l = catalog.lights(s.room()).orElse(null);
                out.add(Json.obj("room", s.room(), "label", s.roomLabel(), "node", catalog.node(s.room()).orElse(null),
                        "lights", l == null ? null : Json.obj("on", l.on().toString(), "off", l.off().toString())));
            }
        }
        return out;
    }

    private Map<String, Object> row(SensorInfo s, LiveReading r, long now, Set<String> faulted) {
        LiveReading reading = r == null ? LiveReading.absent(s.name()) : r;
        Map<String, Object> row = SensorRow.of(catalog, s, reading, now, staleAfterMs);
        LiveReading last = reading.value() != null ? reading : lastSeen(s.name());
        row.put("last_value", last == null ? null : s.round(last.value()));
        row.put("last_ts", last == null ? null : last.tsMillis());
        if (faulted.contains(s.name())) {
            row.put("state", "faulted");
        } else if (reading.value() == null && last != null) {
            row.put("state", "stale");
        }
        return row;
    }

    /** Sensors named by an active {@code faulted} or {@code out_of_range} alert (empty when none or unknown). */
    private Set<String> faultedSensors() {
        Set<String> out = new HashSet<>();
        try {
            for (Alert a : live.activeAlerts()) {
                if (a.sensor() != null && ("faulted".equals(a.kind()) || "out_of_range".equals(a.kind()))) {
                    out.add(a.sensor());
                }
            }
        } catch (RedisIoException e) {
            throw ApiException.unavailable("redis", "live values unavailable: " + e.getMessage());
        }
        return out;
    }

    /** The newest reading seen over pub/sub, else the database's newest row (cached), else null. */
    private LiveReading lastSeen(String name) {
        LiveReading r = hub.lastSeen(name);
        if (r != null) {
            return r;
        }
        long now = System.nanoTime();
        if (now - lastSeenDbAt > LAST_SEEN_CACHE.toNanos() || lastSeenDbAt == Long.MIN_VALUE) {
            lastSeenDbAt = now;
            try {
                lastSeenDb = history.latest();
            } catch (ApiException e) {
                lastSeenDb = Map.of();   // the live half answers while the database is down
            }
        }
        ReadingRow row = lastSeenDb.get(name);
        return row == null ? null : new LiveReading(name, row.value(), Math.floorDiv(row.timeMicros(), 1000L));
    }

    private Map<String, LiveReading> readLive(List<String> names) {
        try {
            return live.readAll(names);
        } catch (RedisIoException e) {
            throw ApiException.unavailable("redis", "live values unavailable: " + e.getMessage());
        }
    }
}
