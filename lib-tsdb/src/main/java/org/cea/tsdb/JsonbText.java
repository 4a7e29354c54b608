package org.cea.tsdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Strict JSON (RFC 8259) validation and rendering in PostgreSQL's {@code jsonb} output form, so the
 * source side of a checksum can be computed from SQLite text and compared with
 * {@code decoded_data::text} on the target.
 *
 * <p>The jsonb form: object keys sorted by UTF-8 length then bytes, duplicate keys keep the last
 * value, {@code ": "} and {@code ", "} separators, numbers as PostgreSQL {@code numeric} prints them
 * (exponent expanded, scale kept: {@code 1.50} stays {@code 1.50}, {@code 1e2} becomes {@code 100}),
 * strings re-escaped with only {@code \" \\ \b \f \n \r \t} and {@code &#92;u00XX} for other control
 * characters. Input that jsonb rejects is rejected here too: {@code &#92;u0000}, unpaired surrogates,
 * unescaped control characters, numbers beyond {@code numeric}'s range.
 *
 * <p>Beside {@link JsonSyntax}, which only checks (allocation-free, on the worker's per-message
 * path), this one renders: it is what can-migrate's verifier compares with
 * {@code decoded_data::text}. Its rendering rules (key order, numbers, string escapes) are in
 * {@link JsonbForms}.
 */
public final class JsonbText {
    private static final int MAX_DEPTH = 1000;
    private final String in;
    private int pos;

    private JsonbText(String in) {
        this.in = in;
    }

    /** Thrown for text that is not valid JSON or that jsonb would reject; the message names the offset. */
    public static final class InvalidJsonException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidJsonException(String message) {
            super(message);
        }
    }

    /**
     * Validates {@code json} and renders it as PostgreSQL prints the same value cast to jsonb.
     *
     * @param json JSON text
     * @return the jsonb text form
     * @throws InvalidJsonException with the character offset and the problem
     */
    public static String canonical(String json) {
        JsonbText p = new JsonbText(json);
        p.skipWs();
        StringBuilder sb = new StringBuilder(json.length() + 16);
        p.value(sb, 0);
        p.skipWs();
        if (p.pos != json.length()) {
            throw p.error("unexpected text after the JSON value");
        }
        return sb.toString();
    }

    private InvalidJsonException error(String what) {
        return new InvalidJsonException("invalid JSON at offset " + pos + ": " + what);
    }

    private void skipWs() {
        pos = JsonSyntax.skipWhitespace(in, pos);
    }

    /** Parses one value at {@code pos} and appends its jsonb rendering (one pass, no tree). */
    private void value(StringBuilder out, int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
        if (pos >= in.length()) {
            throw error("unexpected end of text");
        }
        char c = in.charAt(pos);
        switch (c) {
            case '{' -> object(out, depth);
            case '[' -> array(out, depth);
            case '"' -> string(out);
            case 't' -> literal(out, "true");
            case 'f' -> literal(out, "false");
            case 'n' -> literal(out, "null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number(out);
                } else {
                    throw error("unexpected character '" + c + "'");
                }
            }
        }
    }

    private void literal(StringBuilder out, String word) {
        if (!in.startsWith(word, pos)) {
            throw error("expected " + word);
        }
        pos += word.length();
        out.append(word);
    }

    /** One object member: its decoded key, the key as jsonb prints it, and the rendered value. */
    private record Member(String key, String quotedKey, String value) {
    }

    private void object(StringBuilder out, int depth) {
        pos++;
        List<Member> members = new ArrayList<>(8);
        skipWs();
        if (pos < in.length() && in.charAt(pos) == '}') {
            pos++;
            out.append("{}");
            return;
        }
        StringBuilder tmp = new StringBuilder(32);
        while (true) {
            skipWs();
            if (pos >= in.length() || in.charAt(pos) != '"') {
                throw error("expected a string key");
            }
            tmp.setLength(0);
            String key = string(tmp);
            String quoted = tmp.toString();
            skipWs();
            expect(':');
            skipWs();
            tmp.setLength(0);
            value(tmp, depth + 1);
            members.removeIf(m -> m.key().equals(key));
            members.add(new Member(key, quoted, tmp.toString()));
            skipWs();
            if (pos < in.length() && in.charAt(pos) == ',') {
                pos++;
                continue;
            }
            expect('}');
            break;
        }
        appendSorted(out, members);
    }

    /** Appends the members in jsonb's key order (sorts {@code members} in place). */
    private static void appendSorted(StringBuilder out, List<Member> members) {
        members.sort((a, b) -> JsonbForms.KEY_ORDER.compare(a.key(), b.key()));
        out.append('{');
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(members.get(i).quotedKey()).append(": ").append(members.get(i).value());
        }
        out.append('}');
    }

    private void array(StringBuilder out, int depth) {
        pos++;
        out.append('[');
        skipWs();
        if (pos < in.length() && in.charAt(pos) == ']') {
            pos++;
            out.append(']');
            return;
        }
        boolean first = true;
        while (true) {
            skipWs();
            if (!first) {
                out.append(", ");
            }
            first = false;
            value(out, depth + 1);
            skipWs();
            if (pos < in.length() && in.charAt(pos) == ',') {
                pos++;
                continue;
            }
            expect(']');
            out.append(']');
            return;
        }
    }

    private void expect(char c) {
        if (pos >= in.length() || in.charAt(pos) != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    /**
     * Parses a string at {@code pos}, appends it as jsonb prints it, and returns its decoded value.
     * Without escapes the input text is already in jsonb's form (quotes and backslashes must be
     * escaped in JSON, control characters cannot appear raw).
     */
    private String string(StringBuilder out) {
        int start = ++pos;
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (c == '"') {
                String v = in.substring(start, pos++);
                out.append('"').append(v).append('"');
                return v;
            }
            if (c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
                break;
            }
            pos++;
        }
        pos = start;
        return escapedString(out);
    }

    /** The slow path of {@link #string}: a string with escapes, surrogates or control characters, from {@code pos}. */
    private String escapedString(StringBuilder out) {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= in.length()) {
                throw error("unterminated string");
            }
            char c = in.charAt(pos++);
            if (c == '"') {
                String v = sb.toString();
                JsonbForms.quote(out, v);
                return v;
            }
            if (c < 0x20) {
                pos--;
                throw error("control character 0x" + Integer.toHexString(c) + " must be escaped");
            }
            if (c == '\\') {
                escape(sb);
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && pos < in.length() && Character.isLowSurrogate(in.charAt(pos))) {
                    sb.append(c).append(in.charAt(pos++));
                } else {
                    throw error("unpaired surrogate");
                }
            } else {
                sb.append(c);
            }
        }
    }

    private void escape(StringBuilder sb) {
        if (pos >= in.length()) {
            throw error("unterminated escape");
        }
        char e = in.charAt(pos++);
        switch (e) {
            case '"': sb.append('"'); break;
            case '\\': sb.append('\\'); break;
            case '/': sb.append('/'); break;
            case 'b': sb.append('\b'); break;
            case 'f': sb.append('\f'); break;
            case 'n': sb.append('\n'); break;
            case 'r': sb.append('\r'); break;
            case 't': sb.append('\t'); break;
            case 'u': unicodeEscape(sb); break;
            default:
                throw error("invalid escape '\\" + e + "'");
        }
    }

    private void unicodeEscape(StringBuilder sb) {
        char c = hex4();
        if (c == 0) {
            throw error("\\u0000 cannot be stored in jsonb");
        }
        if (Character.isHighSurrogate(c)) {
            if (in.startsWith("\\u", pos)) {
                pos += 2;
                char low = hex4();
                if (Character.isLowSurrogate(low)) {
                    sb.append(c).append(low);
                    return;
                }
            }
            throw error("high surrogate not followed by a low surrogate");
        }
        if (Character.isLowSurrogate(c)) {
            throw error("low surrogate without a high surrogate");
        }
        sb.append(c);
    }

    private char hex4() {
        if (pos + 4 > in.length()) {
            throw error("short \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(in.charAt(pos + i), 16);
            if (d < 0) {
                throw error("bad hex digit in \\u escape");
            }
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private void number(StringBuilder out) {
        int start = pos;
        if (in.charAt(pos) == '-') {
            pos++;
        }
        if (pos < in.length() && in.charAt(pos) == '0') {
            pos++;
        } else if (!digits()) {
            throw error("expected a digit");
        }
        if (pos < in.length() && in.charAt(pos) == '.') {
            pos++;
            if (!digits()) {
                throw error("expected a digit after '.'");
            }
        }
        boolean exponent = pos < in.length() && (in.charAt(pos) == 'e' || in.charAt(pos) == 'E');
        if (exponent) {
            pos++;
            if (pos < in.length() && (in.charAt(pos) == '+' || in.charAt(pos) == '-')) {
                pos++;
            }
            if (!digits()) {
                throw error("expected a digit in the exponent");
            }
        }
        try {
            JsonbForms.number(in.substring(start, pos), exponent, out);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    private boolean digits() {
        int start = pos;
        while (pos < in.length() && in.charAt(pos) >= '0' && in.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }
}
