package org.cea.tools.common;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The environment variables every tool reads, one scheme for all of them and for
 * {@code etc/cea.env.example}: {@code REDIS_URL}, {@code DB_URL} (the worker's database, writer),
 * {@code DB_URL_READER} (the same database, read-only role), {@code LEGACY_DB_URL} (the scanner's
 * legacy SQLite file of the parallel run). {@code CEA_DB_URL}, the legacy file's name before, still
 * works for one release with a warning.
 */
public final class EnvNames {
    /** Redis URL. */
    public static final String REDIS_URL = "REDIS_URL";
    /** The worker's database (writer role). */
    public static final String DB_URL = "DB_URL";
    /** The worker's database, read-only role. */
    public static final String DB_URL_READER = "DB_URL_READER";
    /** The scanner's legacy SQLite file (parallel run). */
    public static final String LEGACY_DB_URL = "LEGACY_DB_URL";
    /** Deprecated name of {@link #LEGACY_DB_URL}. */
    public static final String DEPRECATED_LEGACY_DB_URL = "CEA_DB_URL";
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
     * The legacy SQLite file: {@link #LEGACY_DB_URL}, else the deprecated {@link #DEPRECATED_LEGACY_DB_URL}
     * (logged once as a warning saying what to rename), else {@code fallback}.
     */
    public static String legacyDbUrl(Map<String, String> env, String fallback) {
        String v = first(env, null, LEGACY_DB_URL);
        if (v != null) {
            return v;
        }
        String old = first(env, null, DEPRECATED_LEGACY_DB_URL);
        if (old != null) {
            LOG.warn("{} is deprecated and will stop working in the next release: rename it {} (in /etc/cea/cea.env)",
                    DEPRECATED_LEGACY_DB_URL, LEGACY_DB_URL);
            return old;
        }
        return fallback;
    }
}
