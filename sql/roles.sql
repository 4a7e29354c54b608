-- Roles for cea_sensors: cea_writer (scanner, worker, cea-automation: insert + select) and cea_reader
-- (can-api, Grafana, can-consistency: select only). can-migrate runs as the owner of the tables (the
-- administrator that runs this script through bin/cea-db-setup): it drops and recreates indexes and
-- sets the id sequence, which grants cannot give (docs/MIGRATION.md, "Which role"). Applied by bin/cea-db-setup with psql >= 15 after
-- timescaledb_setup.sql, connected to the target database. Passwords come from the environment
-- (CEA_WRITER_PASSWORD, CEA_READER_PASSWORD), never from this file; rerunning sets them again.
-- Note: with log_statement = 'ddl' or 'all' the server log would record ALTER ROLE ... PASSWORD.

\getenv writer_password CEA_WRITER_PASSWORD
\getenv reader_password CEA_READER_PASSWORD
\if :{?writer_password}
\else
\echo 'roles.sql: CEA_WRITER_PASSWORD is not set'
\quit 3
\endif
\if :{?reader_password}
\else
\echo 'roles.sql: CEA_READER_PASSWORD is not set'
\quit 3
\endif

SELECT 'CREATE ROLE cea_writer LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cea_writer') \gexec
SELECT 'CREATE ROLE cea_reader LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cea_reader') \gexec
ALTER ROLE cea_writer WITH LOGIN PASSWORD :'writer_password';
ALTER ROLE cea_reader WITH LOGIN PASSWORD :'reader_password';
\unset writer_password
\unset reader_password

SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO cea_writer', current_database()) \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO cea_reader', current_database()) \gexec
GRANT USAGE ON SCHEMA public TO cea_writer, cea_reader;
GRANT SELECT, INSERT ON can_messages, sensor_readings TO cea_writer;
GRANT USAGE, SELECT ON SEQUENCE can_messages_id_seq TO cea_writer;
GRANT SELECT ON can_messages, sensor_readings TO cea_reader;
-- alert history: cea-automation appends (as cea_writer), can-api, the monitors and Grafana read
GRANT SELECT, INSERT ON alert_events TO cea_writer;
GRANT USAGE, SELECT ON SEQUENCE alert_events_id_seq TO cea_writer;
GRANT SELECT ON alert_events TO cea_reader;
-- the rollup tables exist only on plain PostgreSQL (kept by the owner's triggers: the writer needs
-- no write privilege on them; it reads them for the nightly backup, bin/cea-backup's pg_dump)
SELECT format('GRANT SELECT ON %I TO cea_writer, cea_reader', v)
  FROM unnest(ARRAY['sensor_readings_rollup_1m', 'sensor_readings_rollup_1h']) AS v
 WHERE to_regclass(v) IS NOT NULL \gexec
-- the continuous aggregates exist only with TimescaleDB (community license)
SELECT format('GRANT SELECT ON %I TO cea_writer, cea_reader', v)
  FROM unnest(ARRAY['sensor_readings_1m', 'sensor_readings_1h']) AS v
 WHERE to_regclass(v) IS NOT NULL \gexec
