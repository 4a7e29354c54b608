package org.cea.tools.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may talk to can-api: the host names a request may name (the {@code Host} header, and the
 * host of an {@code Origin} header, against DNS rebinding and cross-site WebSocket hijacking), and
 * an optional bearer token. Validated at construction; the token is masked in {@link #toString()}.
 *
 * @param allowedHosts lower-case host names or addresses without port or brackets, never empty
 * @param token        the shared secret every request must present, or null for none
 */
record ApiAccess(Set<String> allowedHosts, String token) {
    /** Host names every can-api answers to: the loopback names. */
    static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "::1");
    /** Shortest token accepted, characters. */
    static final int MIN_TOKEN_CHARS = 16;
    /** Largest token file read, bytes. */
    static final int MAX_TOKEN_FILE_BYTES = 4_096;

    ApiAccess {
        if (allowedHosts == null || allowedHosts.isEmpty()) {
            throw new IllegalArgumentException("the allowed hosts must not be empty");
        }
        allowedHosts = Set.copyOf(allowedHosts);
        if (token != null && (token.length() < MIN_TOKEN_CHARS || !token.chars().allMatch(c -> c > 0x20 && c < 0x7F))) {
            throw new IllegalArgumentException("the API token must be at least " + MIN_TOKEN_CHARS
                    + " printable ASCII characters without spaces, was " + token.length() + " characters");
        }
    }

    /** Loopback names only, no token (tests, and the default on a loopback listen address). */
    static ApiAccess loopback() {
        return new ApiAccess(Set.copyOf(LOOPBACK_NAMES), null);
    }

    /**
     * The access settings of a can-api listening on {@code listenHost}.
     *
     * @param listenHost   the bind address (its name joins the allowed hosts unless it is a wildcard)
     * @param extraHosts   comma-separated further host names ({@code --allowed-hosts}), or null
     * @param token        the token from the environment, or null
     * @param tokenFile    a root-owned file holding the token, or null
     * @param allowNoToken true to listen on a non-loopback address without a token
     * @throws IllegalArgumentException saying what is wrong and what to do
     */
    static ApiAccess resolve(String listenHost, String extraHosts, String token, Path tokenFile, boolean allowNoToken) {
        Set<String> hosts = new LinkedHashSet<>(LOOPBACK_NAMES);
        if (!isWildcard(listenHost)) {
            hosts.add(normalize(listenHost));
        }
        if (extraHosts != null) {
            for (String h : extraHosts.split(",")) {
                String n = normalize(h.trim());
                if (n.isEmpty() || n.contains("/") || n.contains(" ")) {
                    throw new IllegalArgumentException("--allowed-hosts takes host names or addresses separated by commas"
                            + " (e.g. cea-pi.local,192.168.1.20), was '" + extraHosts + "'");
                }
                hosts.add(n);
            }
        }
        if (token != null && token.isBlank()) {
            token = null;
        }
        if (token != null && tokenFile != null) {
            throw new IllegalArgumentException("both API_TOKEN and --token-file give a token: use one");
        }
        String t = tokenFile != null ? readTokenFile(tokenFile) : token;
        if (t == null && !allowNoToken && !isLoopback(listenHost)) {
            throw new IllegalArgumentException("--listen " + listenHost + " is not a loopback address and no token is set:"
                    + " put a token of at least " + MIN_TOKEN_CHARS + " characters in API_TOKEN or in a root-owned file"
                    + " (mode 0640, group cea) named by --token-file or API_TOKEN_FILE, or give --allow-no-token"
                    + " (API_ALLOW_NO_TOKEN=1) to serve the network without one");
        }
        return new ApiAccess(hosts, t);
    }

    /** True when a request may name this {@code Host} header value (null: an HTTP/1.0 request without one). */
    boolean hostAllowed(String hostHeader) {
        return hostHeader == null || allowedHosts.contains(hostOf(hostHeader));
    }

    /** True when this {@code Origin} header value (null when absent) names an allowed host. */
    boolean originAllowed(String origin) {
        if (origin == null) {
            return true;
        }
        int scheme = origin.indexOf("://");
        if (scheme < 0) {
            return false; // "null" (a sandboxed or file: page) and anything malformed
        }
        String s = origin.substring(0, scheme).toLowerCase(Locale.ROOT);
        if (!s.equals("http") && !s.equals("https")) {
            return false;
        }
        String authority = origin.substring(scheme + 3);
        return !authority.contains("/") && !authority.contains("@") && allowedHosts.contains(hostOf(authority));
    }

    /** True when no token is set or the {@code Authorization} header carries it (Bearer, or Basic with any user name). */
    boolean authorized(String authorization) {
        if (token == null) {
            return true;
        }
        if (authorization == null) {
            return false;
        }
        String presented = null;
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        } else if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String userPass = new String(java.util.Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = userPass.indexOf(':');
                presented = colon < 0 ? null : userPass.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    /** The host part of {@code host[:port]} or {@code [v6]:port}, lower case, without a trailing dot. */
    static String hostOf(String authority) {
        String a = authority.trim();
        String host;
        if (a.startsWith("[")) {
            int end = a.indexOf(']');
            host = end < 0 ? a : a.substring(1, end);
        } else {
            int colon = a.indexOf(':');
            host = colon >= 0 && colon == a.lastIndexOf(':') ? a.substring(0, colon) : a;
        }
        return normalize(host);
    }

    private static String normalize(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.equals("*");
    }

    /** True when the listen host is a loopback name or address (a name that does not resolve is not). */
    static boolean isLoopback(String host) {
        if (isWildcard(host)) {
            return false;
        }
        try {
            InetAddress[] all = InetAddress.getAllByName(normalize(host));
            return Arrays.stream(all).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Reads the token from a file that root owns and that nobody else can write or read (0600 or
     * 0640); a symbolic link is not followed.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    static String readTokenFile(Path file) {
        try {
            PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                throw new IllegalArgumentException("--token-file " + file + " is not a regular file (links are not followed)");
            }
            if (!a.owner().getName().equals("root")) {
                throw new IllegalArgumentException("--token-file " + file + " is owned by " + a.owner().getName()
                        + ", not root: chown root:cea " + file + " && chmod 0640 " + file);
            }
            Set<PosixFilePermission> p = a.permissions();
            if (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.OTHERS_WRITE)
                    || p.contains(PosixFilePermission.GROUP_WRITE)) {
                throw new IllegalArgumentException("--token-file " + file + " is readable by others or writable by its group:"
                        + " chmod 0640 " + file);
            }
            byte[] b;
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                b = in.readNBytes(MAX_TOKEN_FILE_BYTES + 1);
            }
            if (b.length > MAX_TOKEN_FILE_BYTES) {
                throw new IllegalArgumentException("--token-file " + file + " is larger than " + MAX_TOKEN_FILE_BYTES + " bytes");
            }
            String t = new String(b, StandardCharsets.UTF_8).strip();
            if (t.isEmpty()) {
                throw new IllegalArgumentException("--token-file " + file + " is empty");
            }
            return t;
        } catch (IOException e) {
            throw new IllegalArgumentException("--token-file " + file + ": cannot read it: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "ApiAccess[allowedHosts=" + allowedHosts + ", token=" + (token == null ? "none" : "***") + "]";
    }
}
