#!/usr/bin/env python3
"""Generates the Grafana dashboards in etc/grafana/dashboards/ from the facility profile.

  scripts/grafana-dashboards.py           write etc/grafana/dashboards/*.json
  scripts/grafana-dashboards.py --check   exit 1 (and say which file) when the checked-in JSON differs

Inputs: etc/facility.json (rooms = nodes, their sensors = sensor_map of the room's kind + suffix,
units) and etc/cea.dbc (message names, for the message type filter). Plain Python 3 standard library.

Queries read only sensor_readings and can_messages and use Grafana's SQL macros ($__timeFilter,
$__timeGroupAlias, $__interval), which expand to plain PostgreSQL, or to time_bucket() when the data
source has timescaledb: true. Every panel uses the data source provisioned with uid cea-tsdb
(etc/grafana/provisioning/datasources/cea.yaml). Dashboard JSON: Grafana schemaVersion 39 (10.4+).
"""
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "etc" / "grafana" / "dashboards"
DATASOURCE = {"type": "grafana-postgresql-datasource", "uid": "cea-tsdb"}
SCHEMA_VERSION = 39

# facility.json unit -> Grafana unit id, and the title of a panel showing several sensors of that unit.
# The order is the order of the panels in a room.
UNITS = {
    "°C": ("celsius", "Temperature"),
    "%": ("percent", "Relative humidity"),
    "kPa": ("pressurekpa", "Vapour pressure deficit"),
    "ppm": ("ppm", "CO₂"),
    "hPa": ("pressurehpa", "Barometric pressure"),
}
# base sensor name -> label (panels showing one sensor are titled with it)
LABELS = {
    "dry_bulb": "Dry bulb", "wet_bulb": "Wet bulb", "rh": "RH (psychrometric)", "vpd": "VPD",
    "co2": "CO₂", "pressure": "Pressure", "secondary_temp": "SCD30 temperature",
    "secondary_rh": "SCD30 RH", "lab_temp": "Lab temperature", "water_temp": "Water temperature",
    "water_level": "Water level",
}


def grafana_unit(unit, sensor):
    if unit not in UNITS:
        # fail loudly rather than draw a panel without its unit
        raise SystemExit(f"facility.json: sensor {sensor}: unit '{unit}' has no Grafana unit in "
                         f"scripts/grafana-dashboards.py UNITS (known: {', '.join(UNITS)})")
    return UNITS[unit][0]


def label(base):
    return LABELS.get(base, base.replace("_", " ").capitalize())


def rooms(facility):
    """[(node, room, suffix, [(sensor, base, unit)])] in node order."""
    result = []
    for node, spec in sorted(facility["nodes"].items(), key=lambda kv: int(kv[0])):
        sensors = []
        for base in facility["sensor_map"][spec["kind"]]:
            if base.startswith("_"):
                continue
            sensors.append((base + spec["suffix"], base, facility["sensors"][base]["unit"]))
        order = list(UNITS)
        sensors.sort(key=lambda s: order.index(s[2]) if s[2] in order else len(order))
        result.append((int(node), spec["room"], spec["suffix"], sensors))
    return result


def message_types(dbc_text):
    return [m.group(1) for m in re.finditer(r"^BO_ +\d+ +(\w+) *:", dbc_text, re.M)]


def sql_list(names):
    return ", ".join("'" + n.replace("'", "''") + "'" for n in names)


class Layout:
    """Hands out panel ids and grid positions (24 columns), top to bottom."""

    def __init__(self):
        self.next_id = 1
        self.y = 0

    def take_id(self):
        self.next_id += 1
        return self.next_id - 1

    def line(self, count, height, width=None):
        """Positions for `count` panels side by side on a new line."""
        w = width or 24 // count
        pos = [{"h": height, "w": w, "x": i * w, "y": self.y} for i in range(count)]
        self.y += height
        return pos


def target(sql, fmt, ref="A"):
    return {"datasource": DATASOURCE, "editorMode": "code", "format": fmt, "rawQuery": True,
            "rawSql": sql, "refId": ref}


def row(layout, title):
    return {"collapsed": False, "gridPos": layout.line(1, 1)[0], "id": layout.take_id(), "panels": [],
            "title": title, "type": "row"}


def timeseries(layout, pos, title, unit, targets, description=""):
    return {
        "datasource": DATASOURCE, "description": description,
        "fieldConfig": {"defaults": {"custom": {"lineWidth": 1, "fillOpacity": 0, "showPoints": "never",
                                                "spanNulls": False},
                                     "unit": unit},
                        "overrides": []},
        "gridPos": pos, "id": layout.take_id(),
        "options": {"legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
                    "tooltip": {"mode": "multi", "sort": "none"}},
        "targets": targets, "title": title, "type": "timeseries",
    }


def stat(layout, pos, title, unit, targets, description="", decimals=None):
    defaults = {"color": {"mode": "thresholds"}, "unit": unit,
                "thresholds": {"mode": "absolute", "steps": [{"color": "green", "value": None}]}}
    if decimals is not None:
        defaults["decimals"] = decimals
    return {
        "datasource": DATASOURCE, "description": description,
        "fieldConfig": {"defaults": defaults, "overrides": []},
        "gridPos": pos, "id": layout.take_id(),
        "options": {"colorMode": "value", "graphMode": "none", "justifyMode": "auto", "orientation": "auto",
                    "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                    "textMode": "value"},
        "targets": targets, "title": title, "type": "stat",
    }


def dashboard(uid, title, description, panels, variables=(), refresh="30s", time_from="now-6h"):
    return {
        "annotations": {"list": [{
            "builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"}, "enable": True,
            "hide": True, "iconColor": "rgba(0, 211, 255, 1)", "name": "Annotations & Alerts",
            "type": "dashboard"}]},
        "description": description, "editable": False, "fiscalYearStartMonth": 0, "graphTooltip": 1,
        "links": [], "panels": panels, "refresh": refresh, "schemaVersion": SCHEMA_VERSION,
        "tags": ["cea"], "templating": {"list": list(variables)},
        "time": {"from": time_from, "to": "now"}, "timepicker": {}, "timezone": "browser",
        "title": title, "uid": uid, "version": 1, "weekStart": "",
    }


def latest_sql(sensor):
    # newest reading in the time range: one index probe of (sensor, time) on every backend
    return ("SELECT time, value\nFROM sensor_readings\n"
            f"WHERE sensor = '{sensor}' AND $__timeFilter(time)\nORDER BY time DESC\nLIMIT 1")


def history_sql(sensors):
    # long format (time, metric, value): Grafana draws one series per sensor name
    return ("SELECT $__timeGroupAlias(time, $__interval), sensor AS metric, avg(value) AS value\n"
            f"FROM sensor_readings\nWHERE $__timeFilter(time) AND sensor IN ({sql_list(sensors)})\n"
            "GROUP BY 1, 2\nORDER BY 1")


def overview(facility):
    layout = Layout()
    panels = []
    for node, room, suffix, sensors in rooms(facility):
        panels.append(row(layout, f"{room.replace('_', ' ').capitalize()} (node {node})"))
        per_line = min(len(sensors), 8)
        for i in range(0, len(sensors), per_line):
            chunk = sensors[i:i + per_line]
            for pos, (sensor, base, unit) in zip(layout.line(len(chunk), 4, 24 // per_line), chunk):
                panels.append(stat(layout, pos, label(base), grafana_unit(unit, sensor),
                                   [target(latest_sql(sensor), "time_series")],
                                   f"Newest reading of {sensor} in the time range ({unit})."))
        groups = {}
        for sensor, base, unit in sensors:
            groups.setdefault(unit, []).append((sensor, base))
        group_list = list(groups.items())
        for i in range(0, len(group_list), 3):
            chunk = group_list[i:i + 3]
            for pos, (unit, members) in zip(layout.line(len(chunk), 8), chunk):
                title = label(members[0][1]) if len(members) == 1 else UNITS[unit][1]
                panels.append(timeseries(
                    layout, pos, title, grafana_unit(unit, members[0][0]),
                    [target(history_sql([m[0] for m in members]), "time_series")],
                    f"Average per interval of {', '.join(m[0] for m in members)} ({unit})."))
    return dashboard("cea-facility", "CEA facility overview",
                     "Per room: newest readings and history from sensor_readings. Generated by "
                     "scripts/grafana-dashboards.py from etc/facility.json; do not edit by hand.",
                     panels)


def type_filter():
    return "coalesce(message_type, 'UNKNOWN') IN ($message_type)"


def pipeline(types):
    layout = Layout()
    panels = [row(layout, "Throughput")]
    pos = layout.line(2, 8)
    panels.append(timeseries(
        layout, pos[0], "Messages per minute by type", "mpm",
        [target("SELECT $__timeGroupAlias(\"timestamp\", $__interval),\n"
                "       coalesce(message_type, 'UNKNOWN') AS metric,\n"
                "       count(*) * 60000.0 / $__interval_ms AS messages_per_minute\n"
                f"FROM can_messages\nWHERE $__timeFilter(\"timestamp\") AND {type_filter()}\n"
                "GROUP BY 1, 2\nORDER BY 1", "time_series")],
        "Frames stored in can_messages per minute (averaged over the interval, at least 1 minute), by "
        "message type; UNKNOWN = CAN ids the DBC does not know."))
    panels[-1]["interval"] = "1m"
    panels.append(timeseries(
        layout, pos[1], "Rows written per minute", "rowspm",
        [target("SELECT $__timeGroupAlias(\"timestamp\", $__interval), count(*) * 60000.0 / $__interval_ms AS "
                "can_messages\nFROM can_messages\nWHERE $__timeFilter(\"timestamp\")\nGROUP BY 1\nORDER BY 1",
                "time_series", "A"),
         target("SELECT $__timeGroupAlias(time, $__interval), count(*) * 60000.0 / $__interval_ms AS "
                "sensor_readings\nFROM sensor_readings\nWHERE $__timeFilter(time)\nGROUP BY 1\nORDER BY 1",
                "time_series", "B")],
        "Rows per minute in can_messages (by reception time) and sensor_readings (by reading time)."))
    panels[-1]["interval"] = "1m"
    pos = layout.line(3, 4)
    panels.append(stat(layout, pos[0], "Messages in range", "none",
                       [target("SELECT count(*) AS messages\nFROM can_messages\n"
                               "WHERE $__timeFilter(\"timestamp\")", "table")],
                       "can_messages rows received in the time range.", decimals=0))
    panels.append(stat(layout, pos[1], "Readings in range", "none",
                       [target("SELECT count(*) AS readings\nFROM sensor_readings\nWHERE $__timeFilter(time)",
                               "table")],
                       "sensor_readings rows in the time range.", decimals=0))
    age = stat(layout, pos[2], "Newest message age", "s",
               [target("SELECT extract(epoch FROM now() - max(\"timestamp\")) AS age\nFROM can_messages",
                       "table")],
               "Seconds since the newest frame in can_messages (whatever the time range). More than a "
               "few seconds: scanner, stream or worker is stalled.", decimals=1)
    age["fieldConfig"]["defaults"]["thresholds"]["steps"] += [{"color": "orange", "value": 10},
                                                             {"color": "red", "value": 60}]
    panels.append(age)
    panels.append(row(layout, "Newest messages"))
    table = {
        "datasource": DATASOURCE,
        "description": "The newest 100 frames in the time range (filter: message type).",
        "fieldConfig": {"defaults": {"custom": {"align": "auto", "cellOptions": {"type": "auto"}},
                                     "unit": "none"},
                        "overrides": []},
        "gridPos": layout.line(1, 12)[0], "id": layout.take_id(),
        "options": {"cellHeight": "sm", "showHeader": True,
                    "footer": {"countRows": False, "fields": "", "reducer": ["sum"], "show": False}},
        "targets": [target(
            "SELECT \"timestamp\" AS time, id, node_id, coalesce(message_type, 'UNKNOWN') AS message_type,\n"
            "       '0x' || upper(to_hex(can_id)) AS can_id, extended, dlc, raw_data,\n"
            "       decoded_data::text AS decoded_data, source_id\n"
            f"FROM can_messages\nWHERE $__timeFilter(\"timestamp\") AND {type_filter()}\n"
            "ORDER BY \"timestamp\" DESC, id DESC\nLIMIT 100", "table")],
        "title": "Newest messages", "type": "table",
    }
    panels.append(table)
    values = types + ["UNKNOWN"]
    variable = {
        "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
        "description": "Message types of etc/cea.dbc; UNKNOWN = frames of unknown CAN ids.",
        "hide": 0, "includeAll": True, "label": "Message type", "multi": True, "name": "message_type",
        "options": [{"selected": True, "text": "All", "value": "$__all"}]
        + [{"selected": False, "text": v, "value": v} for v in values],
        "query": ",".join(values), "skipUrlSync": False, "type": "custom",
    }
    return dashboard("cea-pipeline", "CEA pipeline health",
                     "What the scanner and worker write: frames per minute by message type, rows written, "
                     "the newest frames. Generated by scripts/grafana-dashboards.py; do not edit by hand.",
                     panels, [variable], refresh="10s", time_from="now-1h")


def render(doc):
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def generate():
    facility = json.loads((ROOT / "etc" / "facility.json").read_text(encoding="utf-8"))
    types = message_types((ROOT / "etc" / "cea.dbc").read_text(encoding="cp1252"))
    return {"facility-overview.json": render(overview(facility)),
            "pipeline-health.json": render(pipeline(types))}


def main(argv):
    if argv not in ([], ["--check"]):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    files = generate()
    if argv == ["--check"]:
        stale = [n for n, text in files.items()
                 if not (OUT / n).is_file() or (OUT / n).read_text(encoding="utf-8") != text]
        extra = sorted(p.name for p in OUT.glob("*.json") if p.name not in files)
        for n in stale:
            print(f"etc/grafana/dashboards/{n} differs from what scripts/grafana-dashboards.py generates: "
                  "run it and commit the result", file=sys.stderr)
        for n in extra:
            print(f"etc/grafana/dashboards/{n} is not generated by scripts/grafana-dashboards.py", file=sys.stderr)
        return 1 if stale or extra else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for n, text in files.items():
        (OUT / n).write_text(text, encoding="utf-8")
        print(f"wrote etc/grafana/dashboards/{n}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
