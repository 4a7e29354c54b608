package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;

/** The source side of the checksums must render JSON exactly as PostgreSQL renders jsonb: PostgreSQL is the reference. */
class JsonbTextIT {
    private static final List<String> VALID = List.of(
            "{\"temp_dry_c\": 23.55, \"temp_wet_c\": 18.2, \"status\": 0, \"seq\": 17}",
            "{\"b\":1,\"a\":2,\"aa\":3,\"B\":4,\"é\":5,\"z\":6}",
            "{\"a\":1,\"a\":{\"x\":[]},\"a\":[1,{\"k\":\"v\"}]}",
            "[1.50, 1e2, 1E+2, -0, -0.0, 0.001e3, 1.5e-3, 12345678901234567890123, -1e-20, 5E0]",
            "\"\\u00e9\\ud83c\\udf31\\/\\b\\f\\n\\r\\t\\u001f\\u007f \\\" \\\\\"",
            "  {\"nested\" : {\"deeper\" : {\"deepest\" : [true, false, null]}}}  ",
            "\"ünïcödé and 🌱\"", "0", "-12.500", "null", "[]", "{}", "[[[]]]",
            "{\"\": 1, \"k\\u0041\": \"x\\u0001y\"}");
    private static final List<String> INVALID = List.of("{'a': 1}", "{\"a\": 1", "", "01", "1.", "[1,]",
            "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00x\"", "\"a\tb\"", "NaN", "Infinity", "{\"a\" 1}", "tru", "[1] [2]",
            "\"\\x41\"", "+1", ".5");

    @Test
    void rendersEveryValueExactlyAsPostgresJsonbDoes() throws SQLException {
        String db = TestServers.newDatabase("mig_json");
        try (Connection c = DriverManager.getConnection(TestServers.postgres().jdbcUrl(db));
             PreparedStatement ps = c.prepareStatement("SELECT ?::jsonb::text")) {
            for (String json : VALID) {
                ps.setString(1, json);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(rs.getString(1), JsonbText.canonical(json), json);
                }
            }
        }
    }

    @Test
    void rejectsExactlyWhatPostgresRejects() throws SQLException {
        String db = TestServers.newDatabase("mig_json_bad");
        try (Connection c = DriverManager.getConnection(TestServers.postgres().jdbcUrl(db))) {
            c.setAutoCommit(true);
            for (String json : INVALID) {
                assertThrows(JsonbText.InvalidJsonException.class, () -> JsonbText.canonical(json), json);
                try (PreparedStatement ps = c.prepareStatement("SELECT ?::jsonb::text")) {
                    ps.setString(1, json);
                    ps.executeQuery().close();
                    fail("PostgreSQL accepted " + json);
                } catch (SQLException expected) {
                    // 22P02 invalid_text_representation or 22P05 untranslatable_character
                }
            }
        }
    }
}
