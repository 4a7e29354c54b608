package org.cea.tools.migrate;

/** DDL and statements for this tool's own tables on the target. */
final class MigrationTables {
    private MigrationTables() {
    }

    /** Idempotent creation of the checkpoint and quarantine tables. */
    static final String DDL = """
            CREATE TABLE IF NOT EXISTS migration_checkpoint (
                name             text PRIMARY KEY,
                source_path      text NOT NULL,
                from_id          bigint NOT NULL,
                last_id          bigint NOT NULL,
                rows_copied      bigint NOT NULL,
                rows_quarantined bigint NOT NULL,
                started_at       timestamptz NOT NULL DEFAULT now(),
                updated_at       timestamptz NOT NULL DEFAULT now(),
                finished_at      timestamptz,
                deferred_indexes text[] NOT NULL DEFAULT '{}',
                paused_jobs      integer[] NOT NULL DEFAULT '{}'
            );
            ALTER TABLE migration_checkpoint ADD COLUMN IF NOT EXISTS deferred_indexes text[] NOT NULL DEFAULT '{}';
            ALTER TABLE migration_checkpoint ADD COLUMN IF NOT EXISTS paused_jobs integer[] NOT NULL DEFAULT '{}';
            COMMENT ON TABLE migration_checkpoint IS
                'can-migrate: every legacy row with from_id <= id <= last_id is in can_messages or migration_quarantine';
            CREATE TABLE IF NOT EXISTS migration_quarantine (
                id              bigint PRIMARY KEY,
                reason          text NOT NULL,
                timestamp_value text,
                can_id          text,
                node_id         text,
                message_type    text,
                dlc             text,
                raw_data        text,
                decoded_data    text,
                created_at      text,
                storage_classes text NOT NULL,
                source_path     text,
                quarantined_at  timestamptz NOT NULL DEFAULT now()
            );
            COMMENT ON TABLE migration_quarantine IS
                'can-migrate: legacy rows that do not fit can_messages, with their original values as text';
            """;

    static final String INSERT_QUARANTINE = "INSERT INTO migration_quarantine (id, reason, timestamp_value, can_id,"
            + " node_id, message_type, dlc, raw_data, decoded_data, created_at, storage_classes, source_path)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** Indexes of can_messages that are not backing a constraint: name and definition. */
    static final String DROPPABLE_INDEXES = "SELECT quote_ident(n.nspname) || '.' || quote_ident(i.relname),"
            + " pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
            + " JOIN pg_namespace n ON n.oid = i.relnamespace"
            + " WHERE x.indrelid = 'can_messages'::regclass"
            + " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY 1";

    static final String UPSERT_CHECKPOINT = "INSERT INTO migration_checkpoint (name, source_path, from_id, last_id,"
            + " rows_copied, rows_quarantined, finished_at) VALUES (?, ?, ?, ?, ?, ?, CASE WHEN ? THEN now() END)"
            + " ON CONFLICT (name) DO UPDATE SET source_path = EXCLUDED.source_path, from_id = EXCLUDED.from_id,"
            + " last_id = EXCLUDED.last_id, rows_copied = EXCLUDED.rows_copied,"
            + " rows_quarantined = EXCLUDED.rows_quarantined, updated_at = now(), finished_at = EXCLUDED.finished_at";
}
