package org.cea.tools.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DbConfigTest {
    private static final String WRITER = "postgresql://cea_writer:s3cret@db:5432/cea_sensors";
    private static final String READER = "postgresql://cea_reader:r3ader@db:5432/cea_sensors";

    @Test
    void theFlagWinsThenTheEnvironmentThenTheDefault() {
        Map<String, String> env = Map.of("DB_URL", WRITER, "DB_URL_READER", READER);
        assertEquals(new DbConfig("/x.db", "--db-url"), DbConfig.writer("--db-url", "/x.db", env));
        assertEquals(new DbConfig(WRITER, "DB_URL"), DbConfig.writer("--db-url", null, env));
        assertEquals(new DbConfig(READER, "DB_URL_READER"), DbConfig.reader("--db-url", null, env, "var/cea.db"));
        assertEquals(new DbConfig(WRITER, "DB_URL"), DbConfig.reader("--db-url", null, Map.of("DB_URL", WRITER,
                "DB_URL_READER", " "), "var/cea.db"));
        assertEquals(new DbConfig("var/cea.db", "default"), DbConfig.reader("--db-url", null, Map.of(), "var/cea.db"));
        assertNull(DbConfig.optionalWriter("--db-url", null, Map.of("DB_URL", "")));
    }

    @Test
    void noDatabaseIsAUsageErrorNamingTheFlagAndTheVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DbConfig.writer("--db-url", null, Map.of()));
        assertEquals("no database: pass --db-url or set DB_URL", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DbConfig.reader("--db-url", null, Map.of(), null));
        assertEquals("no database: pass --db-url or set DB_URL_READER (or DB_URL)", e.getMessage());
    }

    @Test
    void theLegacyFileTakesItsOldNameWithTheSourceSaid() {
        assertEquals(new DbConfig("/a.db", "LEGACY_DB_URL"),
                DbConfig.legacy("--db-url", null, Map.of("LEGACY_DB_URL", "/a.db", "CEA_DB_URL", "/b.db"), "/d.db"));
        assertEquals(new DbConfig("/b.db", "CEA_DB_URL"), DbConfig.legacy("--db-url", null, Map.of("CEA_DB_URL", "/b.db"), "/d.db"));
        assertEquals(new DbConfig("/d.db", "default"), DbConfig.legacy("--db-url", null, Map.of(), "/d.db"));
        assertEquals(new DbConfig("/f.db", "--legacy"), DbConfig.legacy("--legacy", "/f.db", Map.of("LEGACY_DB_URL", "/a.db"), "/d.db"));
    }

    @Test
    void thePasswordNeverShows() {
        DbConfig c = DbConfig.writer("--db-url", null, Map.of("DB_URL", WRITER));
        assertEquals("postgresql://cea_writer:***@db:5432/cea_sensors", c.masked());
        assertEquals("DbConfig[postgresql://cea_writer:***@db:5432/cea_sensors from DB_URL]", c.toString());
        assertEquals("jdbc:postgresql://db/cea?user=u&password=***",
                new DbConfig("jdbc:postgresql://db/cea?user=u&password=pw", "--db-url").masked());
        assertFalse(new DbConfig(READER, "DB_URL_READER").toString().contains("r3ader"));
    }
}
