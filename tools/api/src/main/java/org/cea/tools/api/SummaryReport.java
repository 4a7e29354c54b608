package org.cea.tools.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cea.tools.api.ApiHandler.Reply;
import org.cea.tsdb.Summary;
import org.cea.tsdb.SummaryWindow;

/**
 * {@code GET /api/summaries?room=&from=&to=&sensors=}: per local day of the facility's zone and
 * per period of the room's lights ({@code day}: lights-on to lights-off, {@code night}: from
 * lights-off to the next lights-on; a room without a schedule has one period {@code all}, the
 * calendar day), for each sensor: min, mean, max and the share of readings within the band
 * that applies in that period (the rules' band, else the valid range).
 */
final class SummaryReport {
    /** Most local days one summary request covers. */
    static final int MAX_SUMMARY_DAYS = 366;
    /** Base names summarized by default, when the room has them. */
    private static final List<String> SUMMARY_BASES = List.of("dry_bulb", "rh", "vpd", "co2");
    private final SensorCatalog catalog;
    private final HistorySource history;
    private final Clock clock;

    /** One row group of the answer: a local date's lights period and its span. */
    private record Period(String date, String name, Instant from, Instant to) {
    }

    SummaryReport(SensorCatalog catalog, HistorySource history, Clock clock) {
        this.catalog = catalog;
        this.history = history;
        this.clock = clock;
    }

    /** The summaries; 400 naming the parameter for an unknown room or sensor or a bad range. */
    Reply summaries(QueryParams p) {
        String room = p.string("room");
        List<SensorInfo> roomSensors = roomSensors(room);
        ZoneId zone = catalog.zone();
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        Instant from = p.instant("from", today.minusDays(6).atStartOfDay(zone).toInstant(), clock.instant(), false);
        Instant to = p.instant("to", today.plusDays(1).atStartOfDay(zone).toInstant(), clock.instant(), true);
        LocalDate first = LocalDate.ofInstant(from, zone);
        LocalDate last = LocalDate.ofInstant(to.minusNanos(1), zone);
        if (!from.isBefore(to)) {
            throw ApiException.badParameter("from", "time range is reversed or empty: from " + from + " is not before to " + to);
        }
        if (first.plusDays(MAX_SUMMARY_DAYS).isBefore(last.plusDays(1))) {
            throw ApiException.badParameter("from", "at most " + MAX_SUMMARY_DAYS + " days per request, was " + first + " .. " + last);
        }
        List<SensorInfo> chosen = summarySensors(p.string("sensors"), roomSensors);
        SensorCatalog.Lights lights = catalog.lights(room).orElse(null);
        List<Period> periods = periods(first, last, lights, zone);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SensorInfo s : chosen) {
            rows.addAll(rows(s, periods));
        }
        return Reply.json(200, Json.obj("room", room, "room_label", roomSensors.get(0).roomLabel(), "time_zone", zone.getId(),
                "lights", lights == null ? null : Json.obj("on", lights.on().toString(), "off", lights.off().toString()),
                "from", first.toString(), "to", last.toString(), "rows", rows));
    }

    private List<SensorInfo> roomSensors(String room) {
        List<SensorInfo> roomSensors = catalog.sensors().stream().filter(s -> s.room().equals(room)).toList();
        if (room == null || roomSensors.isEmpty()) {
            List<String> rooms = catalog.sensors().stream().map(SensorInfo::room).distinct().toList();
            throw ApiException.badParameter("room", "parameter 'room' must be one of " + String.join(", ", rooms)
                    + (room == null ? "" : ", was '" + room + "'"));
        }
        return roomSensors;
    }

    /** Each local date from {@code first} to {@code last}: one period {@code all}, or {@code day} and {@code night}. */
    private static List<Period> periods(LocalDate first, LocalDate last, SensorCatalog.Lights lights, ZoneId zone) {
        List<Period> periods = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            if (lights == null) {
                periods.add(new Period(d.toString(), "all", d.atStartOfDay(zone).toInstant(),
                        d.plusDays(1).atStartOfDay(zone).toInstant()));
                continue;
            }
            Instant on = d.atTime(lights.on()).atZone(zone).toInstant();
            Instant off = (lights.off().isAfter(lights.on()) ? d : d.plusDays(1)).atTime(lights.off()).atZone(zone).toInstant();
            Instant nextOn = d.plusDays(1).atTime(lights.on()).atZone(zone).toInstant();
            periods.add(new Period(d.toString(), "day", on, off));
            periods.add(new Period(d.toString(), "night", off, nextOn));
        }
        return periods;
    }

    /** One sensor's rows, one per period, judged against the band that applies in the middle of the period. */
    private List<Map<String, Object>> rows(SensorInfo s, List<Period> periods) {
        List<SummaryWindow> windows = new ArrayList<>();
        for (Period span : periods) {
            SensorCatalog.CurrentBand band = catalog.band(s, span.from().plus(Duration.between(span.from(), span.to())
                    .dividedBy(2)));
            windows.add(new SummaryWindow(span.from(), span.to(), band.min(), band.max()));
        }
        List<Summary> out = history.summarize(s.name(), windows);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            Summary x = out.get(i);
            Period period = periods.get(i);
            Double pct = x.inBandPercent();
            rows.add(Json.obj("date", period.date(), "period", period.name(), "from", period.from().toEpochMilli(),
                    "to", period.to().toEpochMilli(), "sensor", s.name(), "label", s.label(), "unit", s.unit(),
                    "count", x.count(), "min", s.round(x.min()), "mean", s.round(x.mean()), "max", s.round(x.max()),
                    "in_band_pct", pct == null ? null : Math.round(pct * 10) / 10.0,
                    "band_min", s.round(x.window().bandMin()), "band_max", s.round(x.window().bandMax())));
        }
        return rows;
    }

    private static List<SensorInfo> summarySensors(String list, List<SensorInfo> roomSensors) {
        if (list == null) {
            List<SensorInfo> out = new ArrayList<>();
            for (String base : SUMMARY_BASES) {
                roomSensors.stream().filter(s -> s.name().equals(base) || s.name().startsWith(base + "_")
                        && !s.name().substring(base.length() + 1).contains("_")).findFirst().ifPresent(out::add);
            }
            return out.isEmpty() ? roomSensors : out;
        }
        List<SensorInfo> out = new ArrayList<>();
        for (String n : list.split(",", -1)) {
            SensorInfo s = roomSensors.stream().filter(x -> x.name().equals(n.trim())).findFirst().orElseThrow(() ->
                    ApiException.badParameter("sensors", "parameter 'sensors': '" + n.trim() + "' is not a sensor of this room;"
                            + " its sensors: " + String.join(", ", roomSensors.stream().map(SensorInfo::name).toList())));
            if (out.contains(s)) {
                throw ApiException.badParameter("sensors", "parameter 'sensors' names '" + s.name() + "' twice");
            }
            out.add(s);
        }
        return out;
    }
}
