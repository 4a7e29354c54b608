package org.cea.tsdb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Loads the schema files shipped in the jar under {@code sql/}. */
final class SqlScript {
    private SqlScript() {
    }

    /** The whole text of {@code sql/NAME}. */
    static String load(String name) {
        String path = "/sql/" + name;
        try (InputStream in = SqlScript.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new TsdbException("schema resource " + path + " is missing from the lib-tsdb jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TsdbException("cannot read schema resource " + path, e);
        }
    }

    /**
     * Splits a script whose statements end with a semicolon at the end of a line; whole-line
     * {@code --} comments are dropped. (Enough for the SQLite schema, which has no triggers.)
     */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("--")) {
                continue;
            }
            cur.append(line).append('\n');
            if (t.endsWith(";")) {
                out.add(cur.toString().strip());
                cur.setLength(0);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        return out;
    }
}
