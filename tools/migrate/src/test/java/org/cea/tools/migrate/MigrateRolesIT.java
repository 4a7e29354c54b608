package org.cea.tools.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.TestServers;
import org.cea.tsdb.MessageRow;
import org.cea.tsdb.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/MIGRATION.md's command as the documented role (the owner of the tables, not a superuser), and
 * the id sequence after a migration whose last legacy rows were quarantined.
 */
class MigrateRolesIT {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private String out() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    /** A database owned by a plain role with CREATEDB (what bin/cea-db-setup accepts as administrator). */
    private static String ownedDatabase(PostgresCluster pg, String prefix) {
        pg.psql("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cea_owner') THEN"
                + " CREATE ROLE cea_owner LOGIN NOSUPERUSER CREATEDB; END IF; END $$");
        String db = (prefix + "_" + Long.toHexString(System.nanoTime())).toLowerCase();
        pg.psql("postgres", "CREATE DATABASE " + db + " OWNER cea_owner");
        String url = "postgresql://cea_owner@127.0.0.1:" + pg.port() + "/" + db;
        Store.applySchema(url);
        return url;
    }

    @Test
    void documentedCommandRunsAsTheTablesOwnerWithoutSuperuser() throws Exception {
        PostgresCluster pg = TestServers.postgres();
        String url = ownedDatabase(pg, "mig_owner");
        assertEquals("f", pg.psql("postgres", "SELECT rolsuper FROM pg_roles WHERE rolname = 'cea_owner'"));
        Path file = tmp.resolve("legacy.db");
        LegacyDb.create(file, LegacyDb.LAX_DDL, 3_000);
        int rc = MigrateIT.run(out, err, "--sqlite", file.toString(), "--target", url, "--no-readings", "--batch", "1000");
        assertEquals(0, rc, out());
        assertTrue(out().contains("VERIFY OK"), out());
    }

    @Test
    void sequenceStartsAboveQuarantinedLastRowsSoALiveInsertKeepsVerifyOk() throws Exception {
        PostgresCluster pg = TestServers.postgres();
        String db = TestServers.newDatabase("mig_seq");
        Path file = tmp.resolve("legacy.db");
        LegacyDb.create(file, LegacyDb.LAX_DDL, 2_000);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            assertEquals(2, st.executeUpdate("UPDATE can_messages SET timestamp = NULL WHERE id IN (1999, 2000)"));
        }
        int rc = MigrateIT.run(out, err, "--sqlite", file.toString(), "--target", pg.url(db), "--no-readings");
        assertEquals(0, rc, out());
        assertTrue(out().contains("QUARANTINE: 2 row(s)"), out());
        assertEquals("1998", pg.psql(db, "SELECT max(id) FROM can_messages"));
        // the worker's insert: no id given, the sequence picks it
        try (Store s = Store.open(pg.url(db))) {
            s.writeBatch(List.of(new MessageRow(null, 1_800_000_000_000_000L, 0x101, false, 1, "PT100", 8,
                    "33 09 1C 07 00 00 00 11", null)), List.of());
        }
        long live = Long.parseLong(pg.psql(db, "SELECT max(id) FROM can_messages"));
        assertTrue(live > 2_000, "the first live insert took id " + live + ", not above every legacy id (2000)");
        rc = MigrateIT.run(out, err, "--sqlite", file.toString(), "--target", pg.url(db), "--verify");
        assertEquals(0, rc, out());
        assertTrue(out().contains("VERIFY OK"), out());
    }
}
