package org.cea.tools.common;

import java.util.Map;
import org.cea.tsdb.Store;

/**
 * The database a tool opens, resolved the same way by every tool (flag → environment → default,
 * {@link EnvNames#pick}) and shown the same way: {@link #masked()} and {@link #toString()} never
 * carry the password (the one masking is lib-tsdb's {@link Store#maskPasswords}). Three roles, one
 * variable each: {@link #writer} ({@code DB_URL}), {@link #reader} ({@code DB_URL_READER}, else
 * {@code DB_URL}) and {@link #legacy} ({@code LEGACY_DB_URL}, else the deprecated {@code CEA_DB_URL}).
 *
 * <p>A tool that uses this class needs lib-tsdb on its class path (tool-common has it as an optional
 * dependency, so that can-decode does not carry the JDBC drivers).
 *
 * @param url    the URL as for {@code Store.open}; may hold a password: hand it only to lib-tsdb
 * @param source where it came from, for messages: {@code --db-url}, {@code DB_URL}, {@code default}
 */
public record DbConfig(String url, String source) {
    /** Validates. */
    public DbConfig {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("database URL must not be " + (url == null ? "null" : "blank"));
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("database URL source must be named");
        }
    }

    /**
     * The writer role: the flag, else {@code DB_URL}.
     *
     * @param flag      the flag's name with dashes, for the message ({@code --db-url})
     * @param flagValue its value, null when not given
     * @param env       the environment
     * @return the database
     * @throws IllegalArgumentException when neither is set (a usage error: exit 2)
     */
    public static DbConfig writer(String flag, String flagValue, Map<String, String> env) {
        DbConfig c = resolve(flag, flagValue, env, null, EnvNames.DB_URL);
        if (c == null) {
            throw new IllegalArgumentException("no database: pass " + flag + " or set " + EnvNames.DB_URL);
        }
        return c;
    }

    /**
     * The writer role where the database is optional: the flag, else {@code DB_URL}, else null.
     */
    public static DbConfig optionalWriter(String flag, String flagValue, Map<String, String> env) {
        return resolve(flag, flagValue, env, null, EnvNames.DB_URL);
    }

    /**
     * A tool that only reads: the flag, else {@code DB_URL_READER}, else {@code DB_URL}, else
     * {@code fallback}.
     *
     * @param fallback the default URL, or null: then neither set is a usage error
     * @throws IllegalArgumentException when nothing is set and there is no fallback
     */
    public static DbConfig reader(String flag, String flagValue, Map<String, String> env, String fallback) {
        DbConfig c = resolve(flag, flagValue, env, fallback, EnvNames.DB_URL_READER, EnvNames.DB_URL);
        if (c == null) {
            throw new IllegalArgumentException("no database: pass " + flag + " or set " + EnvNames.DB_URL_READER
                    + " (or " + EnvNames.DB_URL + ")");
        }
        return c;
    }

    /**
     * The scanner's legacy SQLite file: the flag, else {@code LEGACY_DB_URL}, else the deprecated
     * {@code CEA_DB_URL} (with a warning), else {@code fallback}.
     */
    public static DbConfig legacy(String flag, String flagValue, Map<String, String> env, String fallback) {
        if (flagValue != null) {
            return new DbConfig(flagValue, flag);
        }
        String v = EnvNames.legacyDbUrl(env, null);
        if (v == null) {
            return new DbConfig(fallback, "default");
        }
        return new DbConfig(v, EnvNames.first(env, null, EnvNames.LEGACY_DB_URL) != null ? EnvNames.LEGACY_DB_URL
                : EnvNames.DEPRECATED_LEGACY_DB_URL);
    }

    private static DbConfig resolve(String flag, String flagValue, Map<String, String> env, String fallback,
                                    String... names) {
        if (flagValue != null) {
            return new DbConfig(flagValue, flag);
        }
        for (String n : names) {
            String v = EnvNames.first(env, null, n);
            if (v != null) {
                return new DbConfig(v, n);
            }
        }
        return fallback == null ? null : new DbConfig(fallback, "default");
    }

    /** The URL with every password replaced by {@code ***}: what logs and messages show. */
    public String masked() {
        return mask(url);
    }

    /**
     * Any text with every password replaced by {@code ***} ({@link Store#maskPasswords}).
     *
     * @param text a URL or a message quoting one, may be null
     */
    public static String mask(String text) {
        return Store.maskPasswords(text);
    }

    @Override
    public String toString() {
        return "DbConfig[" + masked() + " from " + source + "]";
    }
}
