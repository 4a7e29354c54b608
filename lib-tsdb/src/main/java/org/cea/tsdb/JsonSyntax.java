package org.cea.tsdb;

/**
 * Strict RFC 8259 syntax check without building a tree (the worker validates every decoded
 * message, so this allocates nothing on success). Also rejects {@code \u0000}, which
 * PostgreSQL's JSONB refuses.
 */
final class JsonSyntax {
    private static final int MAX_DEPTH = 64;
    private final String s;
    private int pos;

    private JsonSyntax(String s) {
        this.s = s;
    }

    /** Null when {@code json} is one JSON object (surrounding whitespace allowed), else the problem and its offset. */
    static String objectProblem(String json) {
        JsonSyntax p = new JsonSyntax(json);
        try {
            p.ws();
            if (p.pos >= json.length() || json.charAt(p.pos) != '{') {
                return "expected '{' at offset " + p.pos;
            }
            p.value(0);
            p.ws();
            if (p.pos != json.length()) {
                return "unexpected '" + json.charAt(p.pos) + "' after the object at offset " + p.pos;
            }
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    private IllegalStateException fail(String what) {
        String found = pos < s.length() ? "'" + s.charAt(pos) + "'" : "end of text";
        return new IllegalStateException("expected " + what + " at offset " + pos + ", found " + found);
    }

    private void ws() {
        pos = skipWhitespace(s, pos);
    }

    /** The first index at or after {@code pos} that is not JSON whitespace (space, tab, LF, CR); also {@link JsonbText}'s. */
    static int skipWhitespace(String text, int pos) {
        int p = pos;
        while (p < text.length()) {
            char c = text.charAt(p);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return p;
            }
            p++;
        }
        return p;
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void value(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalStateException("nesting deeper than " + MAX_DEPTH + " at offset " + pos);
        }
        ws();
        char c = peek();
        switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void object(int depth) {
        pos++;
        ws();
        if (peek() == '}') {
            pos++;
            return;
        }
        while (true) {
            ws();
            if (peek() != '"') {
                throw fail("a member name string");
            }
            string();
            ws();
            if (peek() != ':') {
                throw fail("':'");
            }
            pos++;
            value(depth + 1);
            ws();
            char c = peek();
            pos++;
            if (c == '}') {
                return;
            }
            if (c != ',') {
                pos--;
                throw fail("',' or '}'");
            }
        }
    }

    private void array(int depth) {
        pos++;
        ws();
        if (peek() == ']') {
            pos++;
            return;
        }
        while (true) {
            value(depth + 1);
            ws();
            char c = peek();
            pos++;
            if (c == ']') {
                return;
            }
            if (c != ',') {
                pos--;
                throw fail("',' or ']'");
            }
        }
    }

    private void string() {
        pos++;
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == '"') {
                return;
            }
            if (c < 0x20) {
                pos--;
                throw fail("no raw control character in a string");
            }
            if (c == '\\') {
                escape();
            }
        }
        throw fail("closing '\"'");
    }

    private void escape() {
        char e = peek();
        pos++;
        switch (e) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> { }
            case 'u' -> {
                int code = 0;
                for (int i = 0; i < 4; i++) {
                    int d = pos < s.length() ? Character.digit(s.charAt(pos), 16) : -1;
                    if (d < 0) {
                        throw fail("4 hex digits after \\u");
                    }
                    code = code * 16 + d;
                    pos++;
                }
                if (code == 0) {
                    pos -= 6;
                    throw new IllegalStateException("\\u0000 is not allowed (PostgreSQL JSONB rejects it) at offset " + pos);
                }
            }
            default -> {
                pos--;
                throw fail("a valid escape character");
            }
        }
    }

    private void literal(String word) {
        if (!s.startsWith(word, pos)) {
            throw fail("'" + word + "'");
        }
        pos += word.length();
    }

    private void number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            pos = start;
            throw fail("a JSON value");
        }
        if (peek() == '.') {
            pos++;
            if (!digits()) {
                throw fail("digits after '.'");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                throw fail("exponent digits");
            }
        }
    }

    private boolean digits() {
        int start = pos;
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }
}
