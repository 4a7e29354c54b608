package org.cea.candecode.dbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.cea.candecode.ConfigException;

/** Token-level reading of DBC text with line tracking, for {@link DbcParser}. */
final class DbcScanner {
    private final String source;
    private final String text;
    private int pos;
    private int line = 1;

    DbcScanner(String source, String text) {
        this.source = source;
        this.text = text;
    }

    boolean atEnd() {
        return pos >= text.length();
    }

    int line() {
        return line;
    }

    /** Skips spaces, line ends and {@code //} comments. */
    void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u00A0') {
                pos++;
            } else if (c == '/' && pos + 1 < text.length() && text.charAt(pos + 1) == '/') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private void skipBlanks() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
    }

    private static boolean identStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean identPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    String identifier(String what) {
        skipWhitespace();
        if (atEnd() || !identStart(text.charAt(pos))) {
            throw error(currentToken(), what);
        }
        int start = pos;
        while (pos < text.length() && identPart(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    /** An identifier on the same line, or null (nothing consumed) when there is none. */
    String optionalIdentifier() {
        skipBlanks();
        if (atEnd() || !identStart(text.charAt(pos))) {
            return null;
        }
        int start = pos;
        while (pos < text.length() && identPart(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    /** The identifier that comes next (skipping whitespace), without consuming it; null when the next token is not one. */
    String peekIdentifier() {
        skipWhitespace();
        if (atEnd() || !identStart(text.charAt(pos))) {
            return null;
        }
        int end = pos;
        while (end < text.length() && identPart(text.charAt(end))) {
            end++;
        }
        return text.substring(pos, end);
    }

    /** A decimal number token (sign, digits, fraction, exponent) as written. */
    String number(String what) {
        skipWhitespace();
        int start = pos;
        if (pos < text.length() && (text.charAt(pos) == '-' || text.charAt(pos) == '+')) {
            pos++;
        }
        int digitsStart = pos;
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        if (pos == digitsStart) {
            pos = start;
            throw error(currentToken(), what);
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            pos++;
            if (pos < text.length() && (text.charAt(pos) == '-' || text.charAt(pos) == '+')) {
                pos++;
            }
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
        }
        return text.substring(start, pos);
    }

    /** A double-quoted string; backslash escapes the next character. */
    String string(String what) {
        skipWhitespace();
        if (atEnd() || text.charAt(pos) != '"') {
            throw error(currentToken(), what + " in double quotes");
        }
        int startLine = line;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (atEnd()) {
                throw errorAt(startLine, "\"", "a closing '\"' for the string starting here");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\' && pos < text.length()) {
                c = text.charAt(pos++);
            }
            if (c == '\n') {
                line++;
            }
            sb.append(c);
        }
    }

    /**
     * A double-quoted string that must end on the line it starts on (a unit), or null, with the
     * position unchanged, when the line ends first (it would swallow the next line otherwise).
     */
    String stringOnLine(String what) {
        skipWhitespace();
        if (atEnd() || text.charAt(pos) != '"') {
            throw error(currentToken(), what + " in double quotes");
        }
        int end = pos + 1;
        StringBuilder sb = new StringBuilder();
        while (end < text.length() && text.charAt(end) != '"' && text.charAt(end) != '\n') {
            char c = text.charAt(end++);
            if (c == '\\' && end < text.length() && text.charAt(end) != '\n') {
                c = text.charAt(end++);
            }
            sb.append(c);
        }
        if (end >= text.length() || text.charAt(end) != '"') {
            return null;
        }
        pos = end + 1;
        return sb.toString();
    }

    /** An attribute value: a string, a number or an identifier (enum), as text. */
    String value(String what) {
        skipWhitespace();
        if (!atEnd() && text.charAt(pos) == '"') {
            return string(what);
        }
        if (!atEnd() && identStart(text.charAt(pos))) {
            return identifier(what);
        }
        return number(what);
    }

    void expect(char c, String what) {
        skipWhitespace();
        if (atEnd() || text.charAt(pos) != c) {
            throw error(currentToken(), what);
        }
        pos++;
    }

    boolean tryExpect(char c) {
        skipWhitespace();
        if (!atEnd() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** A single character on the current line (no whitespace skipped). */
    char rawChar(String what) {
        if (atEnd() || text.charAt(pos) == '\n' || text.charAt(pos) == '\r') {
            throw error(currentToken(), what);
        }
        return text.charAt(pos++);
    }

    /** The words up to the end of the line, split at spaces, tabs and commas. */
    List<String> restOfLineWords() {
        List<String> words = new ArrayList<>();
        int end = text.indexOf('\n', pos);
        if (end < 0) {
            end = text.length();
        }
        for (String w : text.substring(pos, end).split("[\\s,]+")) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        pos = end;
        return words;
    }

    /** NS_ : followed by indented lines of symbol names. */
    void skipIndentedBlock() {
        expect(':', "':' after NS_");
        restOfLineWords();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                restOfLineWords();
            } else {
                return;
            }
        }
    }

    /**
     * Skips a statement this parser does not interpret: up to and including its ';', or up to a
     * line that starts with a section keyword (for sections that have no ';').
     */
    void skipStatement(Set<String> keywords) {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                string("a string");
                continue;
            }
            pos++;
            if (c == ';') {
                return;
            }
            if (c == '\n') {
                line++;
                if (startsWithKeyword(keywords)) {
                    return;
                }
            }
        }
    }

    private boolean startsWithKeyword(Set<String> keywords) {
        int end = pos;
        while (end < text.length() && identPart(text.charAt(end))) {
            end++;
        }
        return end > pos && keywords.contains(text.substring(pos, end));
    }

    private String currentToken() {
        if (atEnd()) {
            return "end of file";
        }
        int end = pos;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && end - pos < 40) {
            end++;
        }
        return end == pos ? String.valueOf(text.charAt(pos)) : text.substring(pos, end);
    }

    /** An error at a line with a message of its own ("signal s: ..."). */
    ConfigException failAt(int atLine, String message) {
        return new ConfigException(source, "line " + atLine + ": " + message);
    }

    ConfigException error(String token, String expected) {
        return errorAt(line, token, expected);
    }

    ConfigException errorAt(int atLine, String token, String expected) {
        return new ConfigException(source, "line " + atLine + ": unexpected '" + token + "', expected " + expected);
    }
}
