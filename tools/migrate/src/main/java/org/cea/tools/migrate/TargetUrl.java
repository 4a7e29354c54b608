package org.cea.tools.migrate;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Where to migrate to: {@code postgresql://user:password@host:port/db} (also {@code postgres://})
 * or a {@code jdbc:postgresql:} URL. The password comes from the URL or else {@code PGPASSWORD};
 * {@link #toString()} masks it.
 *
 * @param jdbcUrl  {@code jdbc:postgresql://host:port/db[?params]} without credentials
 * @param user     role name or null (pgjdbc then uses the OS user)
 * @param password password or null
 */
public record TargetUrl(String jdbcUrl, String user, String password) {

    /** Checks the JDBC form. */
    public TargetUrl {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql:, was " + jdbcUrl);
        }
    }

    /**
     * Parses the command-line form.
     *
     * @param url {@code postgresql://…}, {@code postgres://…} or {@code jdbc:postgresql:…}
     * @param env environment lookups ({@code PGPASSWORD})
     * @return the parsed target
     * @throws IllegalArgumentException naming the problem, with the password masked
     */
    public static TargetUrl parse(String url, java.util.function.Function<String, String> env) {
        if (url.startsWith("jdbc:postgresql:")) {
            return new TargetUrl(url, null, env.apply("PGPASSWORD"));
        }
        if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
            throw new IllegalArgumentException("--target must be postgresql://user:pass@host:port/db or jdbc:postgresql:…, was "
                    + mask(url));
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--target is not a valid URL: " + mask(url), e);
        }
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new IllegalArgumentException("--target needs a host and a database: " + mask(url));
        }
        String user = null;
        String password = env.apply("PGPASSWORD");
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            if (colon >= 0) {
                password = decode(info.substring(colon + 1));
            }
        }
        String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        return new TargetUrl(jdbc, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Replaces a password in a URL with {@code ***}. */
    public static String mask(String url) {
        return org.cea.tsdb.Store.maskPasswords(url);
    }

    /** Connection properties for pgjdbc. */
    public Properties properties() {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", "can-migrate");
        return p;
    }

    @Override
    public String toString() {
        return "TargetUrl[" + mask(jdbcUrl) + ", user=" + user + ", password=" + (password == null ? "none" : "***") + "]";
    }
}
