package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Expected texts are PostgreSQL's documented jsonb output (docs, "JSON Types": keys reordered,
 * duplicates keep the last, whitespace normalised, numbers as numeric); JsonbTextIT checks a
 * larger set against a live server.
 */
class JsonbTextTest {

    @Test
    void rendersLikeJsonbOutput() {
        // the PostgreSQL manual's example: SELECT '{"bar": "baz", "balance": 7.77, "active":false}'::jsonb
        assertEquals("{\"bar\": \"baz\", \"active\": false, \"balance\": 7.77}",
                JsonbText.canonical("{\"bar\": \"baz\", \"balance\": 7.77, \"active\":false}"));
        // duplicate keys: the last one wins
        assertEquals("{\"a\": 2}", JsonbText.canonical("{\"a\":1,\"a\":2}"));
        assertEquals("[1.50, 100, 0, 0.001]", JsonbText.canonical("[1.50,1e2,-0,1E-3]"));
        assertEquals("\"a\\\"b\\\\c\\n/\"", JsonbText.canonical("\"a\\\"b\\\\c\\n\\/\""));
        assertEquals("{}", JsonbText.canonical(" { } "));
    }

    @Test
    void rejectsWhatJsonbRejects() {
        for (String bad : new String[] {"{'a': 1}", "{\"a\": 1", "", "01", "1.", "[1,]", "\"\\u0000\"",
            "\"\\ud800\"", "\"a\tb\"", "NaN", "{\"a\" 1}", "1e999999"}) {
            assertThrows(JsonbText.InvalidJsonException.class, () -> JsonbText.canonical(bad), bad);
        }
    }
}
