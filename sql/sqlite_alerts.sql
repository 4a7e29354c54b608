-- Alert history in a SQLite file (the demo's database; PostgreSQL has it in timescaledb_setup.sql).
-- Applied by lib-tsdb's AlertEventLog when it opens the file, not by every Store: the scanner's
-- legacy file does not get it. Idempotent; statements end with a semicolon at the end of a line.
PRAGMA journal_mode = WAL;

CREATE TABLE IF NOT EXISTS alert_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    ts INTEGER NOT NULL,
    alert_id TEXT NOT NULL,
    rule TEXT NOT NULL,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    transition TEXT NOT NULL,
    state TEXT,
    room TEXT,
    sensor TEXT,
    value REAL,
    threshold REAL,
    message TEXT,
    since INTEGER,
    fired_at INTEGER,
    acked_by TEXT,
    ack_note TEXT,
    detail TEXT
);
CREATE INDEX IF NOT EXISTS idx_alert_events_ts ON alert_events (ts);
CREATE INDEX IF NOT EXISTS idx_alert_events_alert_id ON alert_events (alert_id, ts);
