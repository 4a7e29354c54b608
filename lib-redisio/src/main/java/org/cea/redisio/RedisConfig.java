package org.cea.redisio;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;

/**
 * Connection settings from a {@code redis://[user:password@]host:port[/db]} or {@code rediss://}
 * URL. Timeouts are always set so that a half-open connection cannot hang a caller.
 *
 * @param host             server host
 * @param port             1..65535
 * @param user             ACL user, or null
 * @param password         password, or null; masked in {@link #toString()}
 * @param database         logical database 0..
 * @param ssl              TLS ({@code rediss://})
 * @param connectTimeoutMs connect timeout, milliseconds &gt; 0
 * @param socketTimeoutMs  read timeout, milliseconds &gt; 0 (blocking reads must use a block time below it)
 */
public record RedisConfig(String host, int port, String user, String password, int database, boolean ssl,
                          int connectTimeoutMs, int socketTimeoutMs) {
    /** Default connect timeout, milliseconds. */
    public static final int DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
    /** Default socket timeout, milliseconds. */
    public static final int DEFAULT_SOCKET_TIMEOUT_MS = 5_000;
    /**
     * {@link #openPool} sentinel: a borrow waits until a connection is free, however long (for pools sized
     * to their threads, where a wait means a connection is still busy with a bounded command).
     */
    public static final long POOL_WAIT_FOREVER_MS = -1;
    private static final java.util.regex.Pattern USER_INFO = java.util.regex.Pattern.compile("//[^/\\s]*@");

    /** Validates ranges. */
    public RedisConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("redis host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("redis port must be 1..65535, was " + port);
        }
        if (database < 0) {
            throw new IllegalArgumentException("redis database must be >= 0, was " + database);
        }
        if (connectTimeoutMs <= 0 || socketTimeoutMs <= 0) {
            throw new IllegalArgumentException("redis timeouts must be > 0 ms, were connect=" + connectTimeoutMs
                    + " socket=" + socketTimeoutMs);
        }
    }

    /**
     * Parses a URL.
     *
     * @throws IllegalArgumentException saying what part of the URL is wrong
     */
    public static RedisConfig fromUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a redis URL: " + mask(url) + " (" + e.getReason() + ")", e);
        }
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException("redis URL must start with redis:// or rediss://, was " + mask(url));
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("redis URL has no host: " + mask(url));
        }
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            if (colon < 0) {
                password = decode(info);
            } else {
                user = colon == 0 ? null : decode(info.substring(0, colon));
                password = decode(info.substring(colon + 1));
            }
        }
        int db = 0;
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            try {
                db = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("redis URL database must be a number, was '" + path.substring(1) + "'", e);
            }
        }
        return new RedisConfig(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort(), user, password, db,
                "rediss".equals(scheme), DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_SOCKET_TIMEOUT_MS);
    }

    /**
     * The credentials of a service's own ACL user (DESIGN.md, "Redis users"): when this URL carries no
     * password and the environment has {@code REDIS_<SERVICE>_PASSWORD} (e.g. {@code
     * REDIS_SCANNER_PASSWORD}), a copy that logs in as user {@code cea-<service>} with it; otherwise
     * this config unchanged, so credentials written in the URL always win.
     *
     * @param service the service's name, lower case letters ({@code scanner}, {@code worker}, {@code api},
     *                {@code automation}, {@code monitor})
     * @param env     the environment to read the password from
     * @throws IllegalArgumentException if the service name is not lower-case letters
     */
    public RedisConfig withServiceUser(String service, java.util.Map<String, String> env) {
        if (service == null || !service.matches("[a-z]+")) {
            throw new IllegalArgumentException("redis service name must be lower-case letters, was '" + service + "'");
        }
        String pw = env.get(passwordVariable(service));
        if (password != null || pw == null || pw.isEmpty()) {
            return this;
        }
        return new RedisConfig(host, port, userName(service), pw, database, ssl, connectTimeoutMs, socketTimeoutMs);
    }

    /** {@code REDIS_<SERVICE>_PASSWORD}: the environment variable holding a service user's password. */
    public static String passwordVariable(String service) {
        return "REDIS_" + service.toUpperCase(java.util.Locale.ROOT) + "_PASSWORD";
    }

    /** {@code cea-<service>}: the ACL user of a service ({@code etc/redis-users.conf}). */
    public static String userName(String service) {
        return "cea-" + service;
    }

    /** A copy with another socket timeout (e.g. above a XREADGROUP BLOCK time). */
    public RedisConfig withSocketTimeoutMs(int ms) {
        return new RedisConfig(host, port, user, password, database, ssl, connectTimeoutMs, ms);
    }

    /** Jedis host and port. */
    public HostAndPort hostAndPort() {
        return new HostAndPort(host, port);
    }

    /** Jedis client settings (timeouts, auth, database, TLS). */
    public JedisClientConfig clientConfig() {
        return DefaultJedisClientConfig.builder().connectionTimeoutMillis(connectTimeoutMs)
                .socketTimeoutMillis(socketTimeoutMs).user(user).password(password).database(database).ssl(ssl)
                .clientName("cea").build();
    }

    /**
     * Opens the pooled client of a process (the one place the pool is set up): at most {@code maxConnections}
     * connections, all of them kept when idle, none opened ahead (min idle 0), no JMX registration. Connects
     * lazily: nothing is sent before the first command. The caller closes it.
     *
     * @param maxConnections connections open at most (and kept idle), &gt;= 1: one per thread that uses it
     * @param maxWaitMs      how long a borrow waits for a free connection, ms, &gt; 0, or
     *                       {@link #POOL_WAIT_FOREVER_MS}
     * @throws IllegalArgumentException when a limit is out of range
     */
    public JedisPooled openPool(int maxConnections, long maxWaitMs) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("redis pool size must be >= 1, was " + maxConnections);
        }
        if (maxWaitMs <= 0 && maxWaitMs != POOL_WAIT_FOREVER_MS) {
            throw new IllegalArgumentException("redis pool wait must be > 0 ms or POOL_WAIT_FOREVER_MS (-1), was "
                    + maxWaitMs);
        }
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(maxConnections);
        pool.setMaxIdle(maxConnections);
        pool.setMinIdle(0);
        pool.setMaxWait(Duration.ofMillis(maxWaitMs));
        pool.setJmxEnabled(false);
        return new JedisPooled(pool, hostAndPort(), clientConfig());
    }

    /**
     * The client of one thread that sends one command at a time (a status writer, a collector, a
     * one-shot recorder): {@link #openPool} with one connection, kept while idle, a borrow waiting
     * until it is free. Connects lazily. The caller closes it.
     */
    public JedisPooled openClient() {
        return openPool(1, POOL_WAIT_FOREVER_MS);
    }

    /**
     * A dedicated connection, outside any pool, for a command that holds its connection (SUBSCRIBE),
     * with the same timeouts, user, password, database, TLS and client name as {@link #openPool}.
     * The caller closes it.
     *
     * @throws redis.clients.jedis.exceptions.JedisConnectionException when Redis cannot be reached
     */
    public Jedis openConnection() {
        return new Jedis(hostAndPort(), clientConfig());
    }

    /** The URL with the password masked. */
    public String maskedUrl() {
        String auth = password == null ? "" : (user == null ? "" : user) + ":***@";
        return (ssl ? "rediss://" : "redis://") + auth + host + ":" + port + "/" + database;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /**
     * A URL that did not parse, for the message: the whole user info goes (a password alone, {@code
     * redis://secret@host}, is a password too), up to the last {@code @} before the path, as a password may
     * hold an {@code @}.
     */
    private static String mask(String url) {
        return url == null ? "null" : USER_INFO.matcher(url).replaceAll("//***@");
    }

    @Override
    public String toString() {
        return "RedisConfig[" + maskedUrl() + ", connectTimeoutMs=" + connectTimeoutMs + ", socketTimeoutMs="
                + socketTimeoutMs + "]";
    }
}
