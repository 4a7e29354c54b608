package org.cea.tools.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.cea.redisio.RedisConfig;

/**
 * Settings of one can-api process, validated at construction.
 *
 * @param host         address to bind, e.g. {@code 127.0.0.1}
 * @param port         TCP port 0..65535 (0 = any free port, for tests)
 * @param redis        where the live state is
 * @param dbUrl        database URL (read-only role in production); the password is masked in {@link #toString()}
 * @param facilityJson the facility profile ({@code etc/facility.json})
 * @param dbcFile      the DBC file ({@code etc/cea.dbc})
 * @param staleAfter   a sensor with no reading for longer than this is stale (10 s by contract)
 * @param access       allowed Host/Origin names and the optional token
 */
record ApiConfig(String host, int port, RedisConfig redis, String dbUrl, Path facilityJson, Path dbcFile,
                 Duration staleAfter, ApiAccess access) {
    /** Default bind address: loopback only (a reverse proxy or SSH tunnel exposes it further). */
    static final String DEFAULT_LISTEN = "127.0.0.1:8000";

    ApiConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("listen host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen port must be 0..65535, was " + port);
        }
        Objects.requireNonNull(redis, "redis");
        if (dbUrl == null || dbUrl.isBlank()) {
            throw new IllegalArgumentException("database URL must not be empty (--db-url or DB_URL)");
        }
        Objects.requireNonNull(facilityJson, "facilityJson");
        Objects.requireNonNull(dbcFile, "dbcFile");
        if (staleAfter == null || staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("staleAfter must be > 0, was " + staleAfter);
        }
        Objects.requireNonNull(access, "access");
    }

    /** Loopback names allowed, no token (tests). */
    ApiConfig(String host, int port, RedisConfig redis, String dbUrl, Path facilityJson, Path dbcFile, Duration staleAfter) {
        this(host, port, redis, dbUrl, facilityJson, dbcFile, staleAfter, ApiAccess.loopback());
    }

    /**
     * Parses {@code HOST:PORT} (IPv6 as {@code [::1]:8000}).
     *
     * @return {host, port}
     * @throws IllegalArgumentException saying what is wrong
     */
    static Object[] parseListen(String listen) {
        int colon = listen.lastIndexOf(':');
        if (colon <= 0 || colon == listen.length() - 1) {
            throw new IllegalArgumentException("--listen must be HOST:PORT (e.g. " + DEFAULT_LISTEN + "), was '" + listen + "'");
        }
        String host = listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen port must be a number 0..65535, was '" + listen.substring(colon + 1) + "'", e);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--listen port must be 0..65535, was " + port);
        }
        return new Object[] {host, port};
    }

    /** The database URL with any password masked. */
    String maskedDbUrl() {
        return maskPassword(dbUrl);
    }

    /** Masks {@code user:password@} and {@code password=...} in a URL. */
    static String maskPassword(String url) {
        return org.cea.tsdb.Store.maskPasswords(url);
    }

    @Override
    public String toString() {
        return "ApiConfig[listen=" + host + ":" + port + ", redis=" + redis.maskedUrl() + ", db=" + maskedDbUrl()
                + ", facility=" + facilityJson + ", dbc=" + dbcFile + ", staleAfter=" + staleAfter + ", " + access + "]";
    }
}
