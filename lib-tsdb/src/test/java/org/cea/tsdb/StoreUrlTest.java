package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StoreUrlTest {

    @Test
    void postgresUriKeepsCredentialsOutOfTheJdbcUrlAndMasksThePassword() {
        StoreUrl u = StoreUrl.parse("postgresql://cea_writer:s%40cret:x@db.local:6543/cea_sensors?sslmode=require");
        assertFalse(u.isSqlite());
        assertEquals("jdbc:postgresql://db.local:6543/cea_sensors?sslmode=require", u.jdbcUrl());
        assertEquals("cea_writer", u.properties().getProperty("user"));
        assertEquals("s@cret:x", u.properties().getProperty("password"));
        assertEquals("postgresql://cea_writer:***@db.local:6543/cea_sensors?sslmode=require", u.toString());
    }

    @Test
    void passwordFallbackAppliesOnlyWhenTheUrlHasNone() {
        // libpq's rule for PGPASSWORD: the URL's own password wins
        StoreUrl none = StoreUrl.parse("postgresql://u@127.0.0.1:5432/db").withPasswordFallback("fromenv");
        assertEquals("fromenv", none.properties().getProperty("password"));
        assertEquals("jdbc:postgresql://127.0.0.1:5432/db", none.jdbcUrl());
        assertFalse(none.toString().contains("fromenv"));
        StoreUrl own = StoreUrl.parse("postgresql://u:s3cret@127.0.0.1:5432/db").withPasswordFallback("fromenv");
        assertEquals("s3cret", own.properties().getProperty("password"));
        assertFalse(own.toString().contains("s3cret"));
        StoreUrl param = StoreUrl.parse("jdbc:postgresql://h/db?password=p").withPasswordFallback("fromenv");
        assertNull(param.properties().getProperty("password"));
    }

    @Test
    void sameDatabaseIgnoresCredentialsAndSpellingButNotServerOrName() {
        assertTrue(Store.sameDatabase("postgresql://cea_writer:a@127.0.0.1:5432/cea_sensors",
                "postgres://cea:b@127.0.0.1/cea_sensors?sslmode=disable"), "default port, other role and parameters");
        assertTrue(Store.sameDatabase("/var/lib/cea/./x.db", "jdbc:sqlite:/var/lib/cea/x.db"), "one file, two spellings");
        assertFalse(Store.sameDatabase("postgresql://w@127.0.0.1:5432/cea_sensors", "postgresql://w@127.0.0.1:5433/cea_sensors"));
        assertFalse(Store.sameDatabase("postgresql://w@127.0.0.1/cea_sensors", "postgresql://w@127.0.0.1/cea_legacy"));
        assertFalse(Store.sameDatabase("/var/lib/cea/can_messages.db", "/var/lib/cea/cea.db"));
        assertFalse(Store.sameDatabase("/var/lib/cea/cea.db", "postgresql://w@127.0.0.1/cea_sensors"));
    }

    @Test
    void maskPasswordsHidesEveryFormOfPasswordAndLeavesTheRest() {
        assertEquals("postgresql://cea_writer:***@db:5432/cea_sensors",
                Store.maskPasswords("postgresql://cea_writer:s3cret@db:5432/cea_sensors"));
        assertEquals("postgresql://w:***@db/x", Store.maskPasswords("postgresql://w:p@ss@db/x"));
        assertEquals("redis://:***@127.0.0.1:6379/0", Store.maskPasswords("redis://:pw@127.0.0.1:6379/0"));
        assertEquals("jdbc:postgresql://db/cea?user=r&password=***&ssl=true",
                Store.maskPasswords("jdbc:postgresql://db/cea?user=r&password=s3cret&ssl=true"));
        assertEquals("opening postgresql://u:***@h/d failed: refused",
                Store.maskPasswords("opening postgresql://u:x@h/d failed: refused"));
        assertEquals("postgresql://reader@db/x", Store.maskPasswords("postgresql://reader@db/x"));
        assertEquals("/var/lib/cea/can.db", Store.maskPasswords("/var/lib/cea/can.db"));
        assertNull(Store.maskPasswords(null));
    }

    @Test
    void postgresUriDefaultsPortAndDatabase() {
        StoreUrl u = StoreUrl.parse("postgres://reader@localhost");
        assertEquals("jdbc:postgresql://localhost:5432/cea_sensors", u.jdbcUrl());
        assertNull(u.properties().getProperty("password"));
        assertEquals("postgresql://reader@localhost:5432/cea_sensors", u.toString());
    }

    @Test
    void jdbcPostgresPasswordParameterIsMasked() {
        StoreUrl u = StoreUrl.parse("jdbc:postgresql://h:5432/db?user=w&password=topsecret&ssl=true");
        assertEquals("jdbc:postgresql://h:5432/db?user=w&password=***&ssl=true", u.toString());
        assertTrue(u.jdbcUrl().contains("topsecret"));
    }

    @Test
    void sqliteFormsAndPlainPaths() {
        assertTrue(StoreUrl.parse("jdbc:sqlite:/var/lib/cea/can.db").isSqlite());
        StoreUrl plain = StoreUrl.parse("var/can_data.db");
        assertTrue(plain.isSqlite());
        assertEquals("jdbc:sqlite:var/can_data.db", plain.jdbcUrl());
    }

    @Test
    void rejectsUnsupportedSchemesWithoutLeakingPasswords() {
        BadDataException e = assertThrows(BadDataException.class, () -> StoreUrl.parse("mysql://u:pw@h/db"));
        assertFalse(e.getMessage().contains("pw"), e.getMessage());
        assertThrows(BadDataException.class, () -> StoreUrl.parse(" "));
        assertThrows(BadDataException.class, () -> StoreUrl.parse("jdbc:sqlite::memory:"));
        assertThrows(BadDataException.class, () -> StoreUrl.parse("postgresql:///nohost"));
    }
}
