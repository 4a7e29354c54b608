package org.cea.automation;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.cea.redisio.Alert;
import org.cea.redisio.AlertEvents;

/**
 * One message about one transition, as every notifier renders it: a title, a body a grower can
 * act on, a priority, and the event itself for machines.
 *
 * @param event the transition (with its {@code alerts:events} entry id: receivers de-duplicate by it)
 * @param zone  time zone for clock times in the text
 */
public record Notification(AlertEvents.Event event, ZoneId zone) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    /** The alert. */
    public Alert alert() {
        return event.alert();
    }

    /** A stable key per transition: the stream entry id (receivers and mail clients drop repeats). */
    public String key() {
        return event.entryId() + "/" + event.alert().id();
    }

    /** E.g. {@code [CEA] FIRING critical: silent_node:veg}. */
    public String title() {
        String what = switch (event.transition()) {
            case "firing" -> "FIRING";
            case "resolved" -> "RESOLVED";
            case "reminder" -> "STILL FIRING";
            case "acknowledged" -> "ACKNOWLEDGED";
            default -> event.transition().toUpperCase(Locale.ROOT);
        };
        return "[CEA] " + what + " " + alert().severity() + ": " + alert().id();
    }

    /** The plain-text body. */
    public String body() {
        Alert a = alert();
        StringBuilder b = new StringBuilder();
        b.append(a.message()).append('\n').append('\n');
        b.append("alert:     ").append(a.id()).append(" (rule ").append(a.rule()).append(", ").append(a.kind()).append(")\n");
        b.append("state:     ").append(event.transition()).append(" at ").append(time(event.ts())).append('\n');
        if (a.room() != null) {
            b.append("room:      ").append(a.room()).append('\n');
        }
        if (a.sensor() != null) {
            b.append("sensor:    ").append(a.sensor()).append('\n');
        }
        if (a.value() != null) {
            b.append("value:     ").append(a.value()).append('\n');
        }
        if (a.threshold() != null) {
            b.append("threshold: ").append(a.threshold()).append('\n');
        }
        b.append("since:     ").append(time(a.since())).append('\n');
        if (a.firedAt() != null) {
            b.append("fired:     ").append(time(a.firedAt())).append('\n');
        }
        if (a.ackedBy() != null) {
            b.append("acknowledged by ").append(a.ackedBy()).append(a.ackNote() == null || a.ackNote().isBlank() ? ""
                    : ": " + a.ackNote()).append('\n');
        }
        b.append("event:     ").append(event.entryId()).append('\n');
        return b.toString();
    }

    /** 5 critical, 4 warning, 3 info (ntfy's scale; Gotify takes it as is); resolved and acknowledged one lower. */
    public int priority() {
        int p = "critical".equals(alert().severity()) ? 5 : "warning".equals(alert().severity()) ? 4 : 3;
        return "resolved".equals(event.transition()) || "acknowledged".equals(event.transition()) ? p - 1 : p;
    }

    /** The event as a JSON-ready map (alert fields, {@code transition}, {@code ts}, {@code event_id}). */
    public Map<String, Object> eventMap() {
        Map<String, Object> m = new LinkedHashMap<>(alert().toMap());
        m.put("transition", event.transition());
        m.put("ts", event.ts());
        m.put("event_id", event.entryId());
        return m;
    }

    private String time(long ms) {
        return TIME.format(Instant.ofEpochMilli(ms).atZone(zone));
    }
}
