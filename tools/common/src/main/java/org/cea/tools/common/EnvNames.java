package org.cea.tools.common;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The environment variables every tool reads, one scheme for all of them and for
 * {@code etc/cea.env.example} (README "Configuration"), and the one way a setting is resolved: the
 * flag when given, else the first of its environment variables set to a non-blank value, else the
 * default ({@link #pick}). Connections: {@code REDIS_URL}; {@code DB_URL} (the worker's database,
 * writer), {@code DB_URL_READER} (the same database, read-only role), {@code LEGACY_DB_URL} (the
 * scanner's legacy SQLite file of the parallel run) — see {@link DbConfig}. Everything else the
 * project itself defines is {@code CEA_*} ({@code CEA_ETC}, {@code CEA_SPOOL_DIR}, ...) or named
 * after its tool ({@code API_*}, {@code AUTOMATION_*}). A renamed variable keeps working for one
 * release with a warning ({@link #renamed}): {@code CEA_DB_URL}, the legacy file's name before.
 */
public final class EnvNames {
    /** Redis URL. */
    public static final String REDIS_URL = "REDIS_URL";
    /** Redis URL when neither flag nor {@link #REDIS_URL} is set. */
    public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
    /** The worker's database (writer role). */
    public static final String DB_URL = "DB_URL";
    /** The worker's database, read-only role. */
    public static final String DB_URL_READER = "DB_URL_READER";
    /** The scanner's legacy SQLite file (parallel run). */
    public static final String LEGACY_DB_URL = "LEGACY_DB_URL";
    /** Deprecated name of {@link #LEGACY_DB_URL}. */
    public static final String DEPRECATED_LEGACY_DB_URL = "CEA_DB_URL";
    /** The facility profile's directory (cea.dbc, facility.json, automation.json): {@link ProfileDir}. */
    public static final String CEA_ETC = "CEA_ETC";
    private static final Logger LOG = LoggerFactory.getLogger(EnvNames.class);

    private EnvNames() {
    }

    /**
     * The first of {@code names} set to a non-blank value, else {@code fallback}.
     *
     * @param env      the environment (System.getenv() or a test's map)
     * @param fallback the default, may be null
     */
    public static String first(Map<String, String> env, String fallback, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return fallback;
    }

    /**
     * Flag → environment → default: {@code flagValue} when the flag was given (non-null), else
     * {@link #first}. Never put an environment value into a flag's {@code defaultsTo}: {@code --help}
     * prints defaults, and a URL from the environment may carry a password.
     *
     * @param flagValue the flag's value, null when the flag was not given
     * @param env       the environment
     * @param fallback  the default, may be null
     * @param names     the variables to look at, in order
     * @return the setting, or {@code fallback}
     */
    public static String pick(String flagValue, Map<String, String> env, String fallback, String... names) {
        return flagValue != null ? flagValue : first(env, fallback, names);
    }

    /** The Redis URL: the flag, else {@link #REDIS_URL}, else {@link #DEFAULT_REDIS_URL}. */
    public static String redisUrl(String flagValue, Map<String, String> env) {
        return pick(flagValue, env, DEFAULT_REDIS_URL, REDIS_URL);
    }

    /**
     * A renamed variable: {@code name}, else {@code oldName} (logged as a warning saying what to
     * rename), else {@code fallback}.
     *
     * @param env      the environment
     * @param name     the current name
     * @param oldName  the name before, still read for one release
     * @param fallback the default, may be null
     */
    public static String renamed(Map<String, String> env, String name, String oldName, String fallback) {
        String v = first(env, null, name);
        if (v != null) {
            return v;
        }
        String old = first(env, null, oldName);
        if (old != null) {
            LOG.warn("{} is deprecated and will stop working in the next release: rename it {} (in /etc/cea/cea.env)",
                    oldName, name);
            return old;
        }
        return fallback;
    }

    /**
     * The legacy SQLite file: {@link #LEGACY_DB_URL}, else the deprecated {@link #DEPRECATED_LEGACY_DB_URL}
     * (logged once as a warning saying what to rename), else {@code fallback}.
     */
    public static String legacyDbUrl(Map<String, String> env, String fallback) {
        return renamed(env, LEGACY_DB_URL, DEPRECATED_LEGACY_DB_URL, fallback);
    }
}
