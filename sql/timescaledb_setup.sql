-- CEA sensor database schema for PostgreSQL 15 with or without TimescaleDB 2.x.
--
-- Run inside the database (normally cea_sensors) by bin/cea-db-setup (psql) or by lib-tsdb
-- (Store.open / Store.applySchema, JDBC). Plain SQL only (no psql meta-commands), so both work.
-- Idempotent: rerunning changes nothing. Roles and passwords are in sql/roles.sql.
--
-- TimescaleDB is used when the extension is installed and preloaded. Its community-licensed
-- features (compression, continuous aggregates, policies) are skipped with a warning when
-- timescaledb.license = 'apache'. Without the extension the same tables are created as plain
-- PostgreSQL tables (BRIN index on time) and one warning says so. There is NO retention policy:
-- data is kept forever.

-- Serialise concurrent setups (two services starting at once). Held until the end of the psql
-- session; lib-tsdb releases it after committing (an unlock here would let a second setup run
-- before the first one's tables are committed).
SELECT pg_advisory_lock(7263550114);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
       -- pg_settings, not current_setting(): the setting is hidden from roles that are neither superuser
       -- nor pg_read_all_settings, and current_setting() then fails even with missing_ok
       AND coalesce((SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries'), '')
           LIKE '%timescaledb%' THEN
        CREATE EXTENSION IF NOT EXISTS timescaledb;
    ELSE
        RAISE WARNING 'TimescaleDB is not installed (or not in shared_preload_libraries): creating plain PostgreSQL tables without hypertables, compression or continuous aggregates';
    END IF;
END
$$;

-- Raw frames, one row per CAN frame. The mission's columns first, then the additive ones:
-- source_id = Redis stream entry id (idempotent replays), extended = 29-bit identifier flag
-- (standard 0x123 and extended 0x00000123 are different frames; can_id holds the 29-bit id).
CREATE TABLE IF NOT EXISTS can_messages (
    id BIGSERIAL,
    timestamp TIMESTAMPTZ NOT NULL,
    can_id INTEGER NOT NULL,
    node_id INTEGER,
    message_type TEXT,
    dlc INTEGER NOT NULL,
    raw_data TEXT NOT NULL,
    decoded_data JSONB,
    created_at TIMESTAMPTZ DEFAULT NOW(),
    source_id TEXT,
    extended BOOLEAN NOT NULL DEFAULT false
);
-- Databases created by the original setup lack the additive columns. Guarded rather than
-- ADD COLUMN IF NOT EXISTS so that a rerun never sends DDL to a (compressed) hypertable.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                   AND table_name = 'can_messages' AND column_name = 'source_id') THEN
        ALTER TABLE can_messages ADD COLUMN source_id TEXT;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                   AND table_name = 'can_messages' AND column_name = 'extended') THEN
        ALTER TABLE can_messages ADD COLUMN extended BOOLEAN NOT NULL DEFAULT false;
    END IF;
END
$$;

-- Narrow per-sensor history.
CREATE TABLE IF NOT EXISTS sensor_readings (
    time TIMESTAMPTZ NOT NULL,
    sensor TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL
);

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        -- plain PostgreSQL: a BRIN index keeps time-range scans cheap on append-mostly tables, and
        -- the identity key carries the value so that history is an index-only scan of one sensor
        -- (with no continuous aggregates, that is what keeps a 30-day query from reading the heap)
        CREATE INDEX IF NOT EXISTS idx_sensor_readings_time_brin ON sensor_readings USING brin (time);
        CREATE UNIQUE INDEX IF NOT EXISTS sensor_readings_sensor_time_key ON sensor_readings (sensor, time)
            INCLUDE (value);
        RETURN;
    END IF;
    -- the 2.x signature (create_hypertable(relation, time_column, ...)) works on every 2.x release
    -- can_messages gets its time index below (the mission's timestamp DESC index), not a default one
    PERFORM create_hypertable('can_messages', 'timestamp', if_not_exists => TRUE, migrate_data => TRUE,
                              create_default_indexes => FALSE);
    PERFORM create_hypertable('sensor_readings', 'time', if_not_exists => TRUE, migrate_data => TRUE);
END
$$;

-- The history of alert transitions (cea-automation, DESIGN.md "Automation"): one row per entry of
-- the alerts:events stream, event_id = its entry id (a replayed event is written once). A plain
-- table: a few rows a day.
CREATE TABLE IF NOT EXISTS alert_events (
    id BIGSERIAL PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    ts TIMESTAMPTZ NOT NULL,
    alert_id TEXT NOT NULL,
    rule TEXT NOT NULL,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    transition TEXT NOT NULL,
    state TEXT,
    room TEXT,
    sensor TEXT,
    value DOUBLE PRECISION,
    threshold DOUBLE PRECISION,
    message TEXT,
    since TIMESTAMPTZ,
    fired_at TIMESTAMPTZ,
    acked_by TEXT,
    ack_note TEXT,
    detail JSONB
);
CREATE INDEX IF NOT EXISTS idx_alert_events_ts ON alert_events (ts DESC);
CREATE INDEX IF NOT EXISTS idx_alert_events_alert_id ON alert_events (alert_id, ts DESC);

-- The four indexes of the mission schema, the idempotency keys (a unique index on a hypertable must
-- include its time column), and an id index for tailing (ORDER BY id). On plain PostgreSQL the
-- sensor_readings key was created above with the value included. Each is created only when missing:
-- TimescaleDB refuses some index DDL on hypertables with compression enabled, even a no-op.
DO $$
DECLARE
    ix text[];
BEGIN
    FOREACH ix SLICE 1 IN ARRAY ARRAY[
        ['idx_can_messages_timestamp', 'CREATE INDEX idx_can_messages_timestamp ON can_messages (timestamp DESC)'],
        ['idx_can_messages_node_id', 'CREATE INDEX idx_can_messages_node_id ON can_messages (node_id)'],
        ['idx_can_messages_message_type', 'CREATE INDEX idx_can_messages_message_type ON can_messages (message_type)'],
        ['idx_can_messages_can_id', 'CREATE INDEX idx_can_messages_can_id ON can_messages (can_id)'],
        ['can_messages_source_id_key', 'CREATE UNIQUE INDEX can_messages_source_id_key ON can_messages (source_id, timestamp)'],
        ['idx_can_messages_id', 'CREATE INDEX idx_can_messages_id ON can_messages (id)'],
        ['sensor_readings_sensor_time_key', 'CREATE UNIQUE INDEX sensor_readings_sensor_time_key ON sensor_readings (sensor, time)']]
    LOOP
        IF to_regclass(quote_ident(current_schema()) || '.' || ix[1]) IS NULL THEN
            EXECUTE ix[2];
        END IF;
    END LOOP;
END
$$;

-- Plain PostgreSQL has no continuous aggregates: ordinary rollup tables at 1 minute and 1 hour (UTC
-- buckets; samples, sum, min and max as in the aggregates) kept by statement triggers on
-- sensor_readings, in the inserting transaction, from the rows really inserted (a transition table
-- holds no row that ON CONFLICT DO NOTHING skipped): exact and never stale. Deleted or updated rows
-- make their buckets be worked out again from the raw rows. Day/night summaries read them as they
-- read TimescaleDB's aggregates (lib-tsdb PostgresSummaries). Created once and filled from the rows
-- already there while writers wait (SHARE ROW EXCLUSIVE: nothing is inserted between the fill and
-- the triggers). Not on TimescaleDB: hypertables take no transition tables, and the aggregates are there.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        RETURN;
    END IF;
    -- UPDATE first, then INSERT only the buckets it did not find: an INSERT .. ON CONFLICT DO UPDATE
    -- writes a row-lock WAL record (Heap/LOCK) before each update, and at facility load every commit
    -- updates about every sensor's two rollup rows, so those records were a sixth of all WAL
    -- (pg_waldump, scripts/bench-facility.sh). A concurrent writer's new bucket still meets ON CONFLICT.
    -- ORDER BY: concurrent writers take the rollup rows in the same order (a deadlock, were the
    -- planner to join otherwise, is one the writers retry: SQLSTATE 40P01 is transient to them).
    CREATE OR REPLACE FUNCTION sensor_rollup_add() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
        WITH a AS MATERIALIZED (
                SELECT sensor, date_trunc('minute', time, 'UTC') AS bucket, count(*) AS n, sum(value) AS s,
                       min(value) AS lo, max(value) AS hi
                  FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2),
             u AS (
                UPDATE sensor_readings_rollup_1m r SET samples = r.samples + a.n, sum_value = r.sum_value + a.s,
                       min_value = least(r.min_value, a.lo), max_value = greatest(r.max_value, a.hi)
                  FROM a WHERE r.sensor = a.sensor AND r.bucket = a.bucket
                RETURNING r.sensor, r.bucket)
        INSERT INTO sensor_readings_rollup_1m AS r (sensor, bucket, samples, sum_value, min_value, max_value)
            SELECT a.sensor, a.bucket, a.n, a.s, a.lo, a.hi FROM a
             WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.sensor = a.sensor AND u.bucket = a.bucket)
             ORDER BY 1, 2
            ON CONFLICT (sensor, bucket) DO UPDATE SET samples = r.samples + EXCLUDED.samples,
                sum_value = r.sum_value + EXCLUDED.sum_value, min_value = least(r.min_value, EXCLUDED.min_value),
                max_value = greatest(r.max_value, EXCLUDED.max_value);
        WITH a AS MATERIALIZED (
                SELECT sensor, date_trunc('hour', time, 'UTC') AS bucket, count(*) AS n, sum(value) AS s,
                       min(value) AS lo, max(value) AS hi
                  FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2),
             u AS (
                UPDATE sensor_readings_rollup_1h r SET samples = r.samples + a.n, sum_value = r.sum_value + a.s,
                       min_value = least(r.min_value, a.lo), max_value = greatest(r.max_value, a.hi)
                  FROM a WHERE r.sensor = a.sensor AND r.bucket = a.bucket
                RETURNING r.sensor, r.bucket)
        INSERT INTO sensor_readings_rollup_1h AS r (sensor, bucket, samples, sum_value, min_value, max_value)
            SELECT a.sensor, a.bucket, a.n, a.s, a.lo, a.hi FROM a
             WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.sensor = a.sensor AND u.bucket = a.bucket)
             ORDER BY 1, 2
            ON CONFLICT (sensor, bucket) DO UPDATE SET samples = r.samples + EXCLUDED.samples,
                sum_value = r.sum_value + EXCLUDED.sum_value, min_value = least(r.min_value, EXCLUDED.min_value),
                max_value = greatest(r.max_value, EXCLUDED.max_value);
        RETURN NULL;
    END
    $f$;
    -- the given minute buckets (and their hours) worked out again from the raw rows
    CREATE OR REPLACE FUNCTION sensor_rollup_recompute(sensors text[], minutes timestamptz[]) RETURNS void
    LANGUAGE plpgsql AS $f$
    BEGIN
        INSERT INTO sensor_readings_rollup_1m AS r (sensor, bucket, samples, sum_value, min_value, max_value)
            SELECT k.s, k.m, a.n, a.sv, a.mn, a.mx FROM unnest(sensors, minutes) AS k(s, m)
            CROSS JOIN LATERAL (SELECT count(*) AS n, sum(value) AS sv, min(value) AS mn, max(value) AS mx
                                  FROM sensor_readings WHERE sensor = k.s AND time >= k.m
                                   AND time < k.m + INTERVAL '1 minute') a
            ORDER BY 1, 2
            ON CONFLICT (sensor, bucket) DO UPDATE SET samples = EXCLUDED.samples, sum_value = EXCLUDED.sum_value,
                min_value = EXCLUDED.min_value, max_value = EXCLUDED.max_value;
        DELETE FROM sensor_readings_rollup_1m r USING unnest(sensors, minutes) AS k(s, m)
         WHERE r.sensor = k.s AND r.bucket = k.m AND r.samples = 0;
        INSERT INTO sensor_readings_rollup_1h AS r (sensor, bucket, samples, sum_value, min_value, max_value)
            SELECT k.s, k.h, a.n, a.sv, a.mn, a.mx
              FROM (SELECT DISTINCT s, date_trunc('hour', m, 'UTC') AS h FROM unnest(sensors, minutes) AS u(s, m)) k
            CROSS JOIN LATERAL (SELECT coalesce(sum(samples), 0) AS n, sum(sum_value) AS sv, min(min_value) AS mn,
                                       max(max_value) AS mx FROM sensor_readings_rollup_1m
                                 WHERE sensor = k.s AND bucket >= k.h AND bucket < k.h + INTERVAL '1 hour') a
            ORDER BY 1, 2
            ON CONFLICT (sensor, bucket) DO UPDATE SET samples = EXCLUDED.samples, sum_value = EXCLUDED.sum_value,
                min_value = EXCLUDED.min_value, max_value = EXCLUDED.max_value;
        DELETE FROM sensor_readings_rollup_1h r USING unnest(sensors, minutes) AS k(s, m)
         WHERE r.sensor = k.s AND r.bucket = date_trunc('hour', k.m, 'UTC') AND r.samples = 0;
    END
    $f$;
    CREATE OR REPLACE FUNCTION sensor_rollup_redo() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            PERFORM sensor_rollup_recompute(array_agg(s), array_agg(m))
               FROM (SELECT sensor, date_trunc('minute', time, 'UTC') FROM old_rows
                     UNION SELECT sensor, date_trunc('minute', time, 'UTC') FROM new_rows) AS k(s, m);
        ELSE
            PERFORM sensor_rollup_recompute(array_agg(s), array_agg(m))
               FROM (SELECT DISTINCT sensor, date_trunc('minute', time, 'UTC') FROM old_rows) AS k(s, m);
        END IF;
        RETURN NULL;
    END
    $f$;
    CREATE OR REPLACE FUNCTION sensor_rollup_clear() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
        TRUNCATE sensor_readings_rollup_1m, sensor_readings_rollup_1h;
        RETURN NULL;
    END
    $f$;
    -- the rollup is the schema owner's derived data: the triggers keep it with the owner's rights, so
    -- a writer needs no privilege on it (and cannot alter it); the search path is pinned to this
    -- schema with pg_temp last, so no temporary table can stand in for a rollup table
    EXECUTE format('ALTER FUNCTION sensor_rollup_add() SECURITY DEFINER SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION sensor_rollup_redo() SECURITY DEFINER SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION sensor_rollup_clear() SECURITY DEFINER SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION sensor_rollup_recompute(text[], timestamptz[]) SECURITY DEFINER SET search_path = %I, pg_temp',
                   current_schema());
    REVOKE EXECUTE ON FUNCTION sensor_rollup_recompute(text[], timestamptz[]) FROM PUBLIC;
    IF to_regclass('sensor_readings_rollup_1h') IS NOT NULL THEN
        RETURN;
    END IF;
    LOCK TABLE sensor_readings IN SHARE ROW EXCLUSIVE MODE;
    CREATE TABLE sensor_readings_rollup_1m (sensor TEXT NOT NULL, bucket TIMESTAMPTZ NOT NULL,
        samples BIGINT NOT NULL, sum_value DOUBLE PRECISION, min_value DOUBLE PRECISION,
        max_value DOUBLE PRECISION, PRIMARY KEY (sensor, bucket));
    CREATE TABLE sensor_readings_rollup_1h (LIKE sensor_readings_rollup_1m INCLUDING ALL);
    INSERT INTO sensor_readings_rollup_1m
        SELECT sensor, date_trunc('minute', time, 'UTC'), count(*), sum(value), min(value), max(value)
          FROM sensor_readings GROUP BY 1, 2;
    INSERT INTO sensor_readings_rollup_1h
        SELECT sensor, date_trunc('hour', bucket, 'UTC'), sum(samples), sum(sum_value), min(min_value), max(max_value)
          FROM sensor_readings_rollup_1m GROUP BY 1, 2;
    CREATE TRIGGER sensor_rollup_insert AFTER INSERT ON sensor_readings REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION sensor_rollup_add();
    CREATE TRIGGER sensor_rollup_delete AFTER DELETE ON sensor_readings REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION sensor_rollup_redo();
    CREATE TRIGGER sensor_rollup_update AFTER UPDATE ON sensor_readings
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sensor_rollup_redo();
    CREATE TRIGGER sensor_rollup_truncate AFTER TRUNCATE ON sensor_readings
        FOR EACH STATEMENT EXECUTE FUNCTION sensor_rollup_clear();
END
$$;

-- TimescaleDB community features: compression after 7 days, continuous aggregates at 1 minute and
-- 1 hour (avg/min/max/count, plus sum so that coarser buckets can be combined exactly) with refresh
-- policies and real-time aggregation (materialized_only = false; off by default since 2.13).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        RETURN;
    END IF;
    IF coalesce(current_setting('timescaledb.license', true), 'timescale') = 'apache' THEN
        RAISE WARNING 'timescaledb.license is apache: compression, continuous aggregates and their policies are community features and were skipped';
        RETURN;
    END IF;

    IF NOT (SELECT compression_enabled FROM timescaledb_information.hypertables
            WHERE hypertable_schema = current_schema() AND hypertable_name = 'sensor_readings') THEN
        ALTER TABLE sensor_readings SET (timescaledb.compress,
            timescaledb.compress_segmentby = 'sensor', timescaledb.compress_orderby = 'time DESC');
    END IF;
    IF NOT (SELECT compression_enabled FROM timescaledb_information.hypertables
            WHERE hypertable_schema = current_schema() AND hypertable_name = 'can_messages') THEN
        ALTER TABLE can_messages SET (timescaledb.compress,
            timescaledb.compress_segmentby = 'can_id', timescaledb.compress_orderby = 'timestamp DESC, source_id');
    END IF;
    PERFORM add_compression_policy('sensor_readings', INTERVAL '7 days', if_not_exists => TRUE);
    PERFORM add_compression_policy('can_messages', INTERVAL '7 days', if_not_exists => TRUE);

    -- WITH NO DATA: creation may then run inside a transaction or DO block; the policies fill them.
    IF to_regclass('sensor_readings_1m') IS NULL THEN
        CREATE MATERIALIZED VIEW sensor_readings_1m WITH (timescaledb.continuous) AS
            SELECT time_bucket(INTERVAL '1 minute', time) AS bucket, sensor,
                   avg(value) AS avg_value, min(value) AS min_value, max(value) AS max_value,
                   count(*) AS samples, sum(value) AS sum_value
            FROM sensor_readings GROUP BY bucket, sensor
            WITH NO DATA;
    END IF;
    IF to_regclass('sensor_readings_1h') IS NULL THEN
        CREATE MATERIALIZED VIEW sensor_readings_1h WITH (timescaledb.continuous) AS
            SELECT time_bucket(INTERVAL '1 hour', time) AS bucket, sensor,
                   avg(value) AS avg_value, min(value) AS min_value, max(value) AS max_value,
                   count(*) AS samples, sum(value) AS sum_value
            FROM sensor_readings GROUP BY bucket, sensor
            WITH NO DATA;
    END IF;
    ALTER MATERIALIZED VIEW sensor_readings_1m SET (timescaledb.materialized_only = false);
    ALTER MATERIALIZED VIEW sensor_readings_1h SET (timescaledb.materialized_only = false);
    -- refreshes only re-materialise invalidated ranges, so wide windows stay cheap and still pick
    -- up late data (a worker catching up after a database outage). The hourly aggregate's window
    -- has no start (all history): a bucket older than the window would never be materialised (the
    -- aggregate starts WITH NO DATA), nor refreshed after a migration or a backfill; it is small
    -- (one row per sensor and hour). The minute aggregate keeps 7 days: history reads raw rows
    -- wherever an aggregate bucket is not materialised and valid (lib-tsdb Materialised), and a
    -- minute-wide answer spans hours, not months. Databases set up with the earlier 30-day window
    -- get the new one here.
    IF EXISTS (SELECT 1 FROM timescaledb_information.jobs j JOIN _timescaledb_catalog.continuous_agg ca
                 ON (j.config->>'mat_hypertable_id')::int = ca.mat_hypertable_id
               WHERE j.proc_name = 'policy_refresh_continuous_aggregate' AND ca.user_view_schema = current_schema()
                 AND ca.user_view_name = 'sensor_readings_1h' AND j.config->>'start_offset' IS NOT NULL) THEN
        PERFORM remove_continuous_aggregate_policy('sensor_readings_1h');
    END IF;
    PERFORM add_continuous_aggregate_policy('sensor_readings_1m', start_offset => INTERVAL '7 days',
        end_offset => INTERVAL '1 minute', schedule_interval => INTERVAL '1 minute', if_not_exists => TRUE);
    PERFORM add_continuous_aggregate_policy('sensor_readings_1h', start_offset => NULL,
        end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '30 minutes', if_not_exists => TRUE);
END
$$;
