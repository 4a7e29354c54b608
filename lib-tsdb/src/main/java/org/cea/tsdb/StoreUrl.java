package org.cea.tsdb;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed store URL: which backend, the JDBC URL without credentials, and the credentials kept
 * apart so that {@link #toString()} (used in every log line and message) never shows the password.
 */
final class StoreUrl {
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&]password=)[^&]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^:@/\\s]*):[^/\\s]*@");
    private static final Pattern PASSWORD_PARAM_ANYWHERE = Pattern.compile("(?i)(password=)[^&\\s]*");
    private static final String DEFAULT_DATABASE = "cea_sensors";

    private final boolean sqlite;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String display;

    private StoreUrl(boolean sqlite, String jdbcUrl, String user, String password, String display) {
        this.sqlite = sqlite;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.display = display;
    }

    /**
     * @throws BadDataException naming the (masked) URL and what is wrong with it
     */
    static StoreUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new BadDataException("store URL must not be " + (url == null ? "null" : "blank"));
        }
        String u = url.trim();
        if (u.startsWith("jdbc:sqlite:")) {
            String path = u.substring("jdbc:sqlite:".length());
            if (path.isEmpty() || path.startsWith(":memory:")) {
                throw new BadDataException("store URL " + u + ": a SQLite file path is required (in-memory databases are not supported)");
            }
            return new StoreUrl(true, u, null, null, u);
        }
        if (u.startsWith("postgresql://") || u.startsWith("postgres://")) {
            return parsePostgresUri(u);
        }
        if (u.startsWith("jdbc:postgresql:")) {
            String masked = PASSWORD_PARAM.matcher(u).replaceAll("$1***");
            return new StoreUrl(false, u, null, null, masked);
        }
        if (u.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || u.startsWith("jdbc:")) {
            throw new BadDataException("store URL " + PASSWORD_PARAM.matcher(maskUserInfo(u))
                    .replaceAll("$1***") + ": unsupported scheme; use jdbc:sqlite:PATH, a file path, "
                    + "postgresql://user:pass@host:port/db or jdbc:postgresql://host:port/db");
        }
        return new StoreUrl(true, "jdbc:sqlite:" + u, null, null, "jdbc:sqlite:" + u);
    }

    private static StoreUrl parsePostgresUri(String u) {
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            throw new BadDataException("store URL " + maskUserInfo(u) + ": malformed at index " + e.getIndex()
                    + " (" + e.getReason() + ")");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new BadDataException("store URL " + maskUserInfo(u) + ": host is missing");
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String db = path.length() > 1 ? decode(path.substring(1)) : DEFAULT_DATABASE;
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String query = uri.getRawQuery();
        String jdbc = "jdbc:postgresql://" + hostPart + ":" + port + "/" + db + (query == null ? "" : "?" + query);
        String display = "postgresql://" + (user == null ? "" : user + (password == null ? "" : ":***") + "@")
                + hostPart + ":" + port + "/" + db
                + (query == null ? "" : "?" + PASSWORD_PARAM.matcher("?" + query).replaceAll("$1***").substring(1));
        return new StoreUrl(false, jdbc, user, password, display);
    }

    private static String maskUserInfo(String u) {
        return u.replaceAll("//[^/@]*@", "//***@");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /**
     * This URL with {@code password} used when the URL itself carries none (libpq's
     * {@code PGPASSWORD} rule); a password in the URL wins.
     *
     * @param password the fallback, or null for none
     * @return this URL, or a copy with the fallback
     */
    StoreUrl withPasswordFallback(String password) {
        if (this.password != null || password == null || sqlite || jdbcUrl.matches("(?i).*[?&]password=.*")) {
            return this;
        }
        return new StoreUrl(false, jdbcUrl, user, password, display);
    }

    boolean isSqlite() {
        return sqlite;
    }

    /** JDBC URL, without the user info of a {@code postgresql://} URL. Never log it: it may hold a password parameter. */
    String jdbcUrl() {
        return jdbcUrl;
    }

    /** Connection properties: user and password when the URL carried them. */
    Properties properties() {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
    }

    Store open() {
        return sqlite ? SqliteStore.open(this) : PostgresStore.open(this);
    }

    Backend applySchema() {
        if (sqlite) {
            try (Store s = SqliteStore.open(this)) {
                return s.backend();
            }
        }
        return PostgresStore.applySchema(this);
    }

    /**
     * Same database: SQLite files compared by their absolute normalised path, PostgreSQL by the
     * JDBC URL without credentials or parameters (host, port, database).
     */
    boolean sameDatabase(StoreUrl other) {
        if (sqlite != other.sqlite) {
            return false;
        }
        if (sqlite) {
            return sqlitePath().equals(other.sqlitePath());
        }
        return withoutParameters(jdbcUrl).equalsIgnoreCase(withoutParameters(other.jdbcUrl));
    }

    private java.nio.file.Path sqlitePath() {
        java.nio.file.Path p = java.nio.file.Path.of(jdbcUrl.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", ""))
                .toAbsolutePath().normalize();
        try {
            return p.toRealPath();
        } catch (java.io.IOException e) {
            return p; // not there yet: compare the path as written
        }
    }

    private static String withoutParameters(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    /** The URL with its password replaced by {@code ***}. */
    @Override
    public String toString() {
        return display;
    }

    /** See {@link Store#maskPasswords(String)}. */
    static String maskPasswords(String text) {
        if (text == null) {
            return null;
        }
        // greedy up to the last '@' before the path: a password may itself hold an '@'
        return PASSWORD_PARAM_ANYWHERE.matcher(USER_INFO.matcher(text).replaceAll("$1:***@")).replaceAll("$1***");
    }

    static String maskAll(String text) {
        Matcher m = PASSWORD_PARAM.matcher(text);
        return m.replaceAll("$1***");
    }
}
