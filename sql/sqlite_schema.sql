-- Legacy SQLite store (scanner fallback path and the original single-file deployment).
-- Applied by lib-tsdb (Store.open) on every connection; every statement is idempotent.
-- Statements are separated by a semicolon at the end of a line.

-- Readers (monitors, can-api) never block the writer.
PRAGMA journal_mode = WAL;

-- The legacy table, unchanged: other programs read it.
CREATE TABLE IF NOT EXISTS can_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    timestamp REAL NOT NULL,
    can_id INTEGER NOT NULL,
    node_id INTEGER,
    message_type TEXT,
    dlc INTEGER NOT NULL,
    raw_data TEXT NOT NULL,
    decoded_data TEXT,
    created_at TEXT DEFAULT CURRENT_TIMESTAMP
);

-- Indexes are additive (the table itself is untouched); they serve the tail and count queries.
CREATE INDEX IF NOT EXISTS idx_can_messages_timestamp ON can_messages (timestamp);
CREATE INDEX IF NOT EXISTS idx_can_messages_node_id ON can_messages (node_id);
CREATE INDEX IF NOT EXISTS idx_can_messages_message_type ON can_messages (message_type);
CREATE INDEX IF NOT EXISTS idx_can_messages_can_id ON can_messages (can_id);

-- Idempotent worker writes: the stream entry ids already stored, written in the same transaction
-- as the message row (the legacy table has no column for it).
CREATE TABLE IF NOT EXISTS ingested_entries (
    source_id TEXT PRIMARY KEY,
    message_id INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_ingested_entries_message_id ON ingested_entries (message_id);

-- Extended (29-bit) frames whose id would also be a valid standard id (0..0x7FF): the legacy table
-- cannot tell 0x123 from 0x00000123, so those rows are listed here. Ids above 0x7FF are extended anyway.
CREATE TABLE IF NOT EXISTS message_extended (
    message_id INTEGER PRIMARY KEY
);

-- Per-sensor history: time in microseconds since the Unix epoch (exact, unlike REAL seconds).
CREATE TABLE IF NOT EXISTS sensor_readings (
    time INTEGER NOT NULL,
    sensor TEXT NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (sensor, time)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_sensor_readings_time ON sensor_readings (time);
