package org.cea.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster: {@code initdb} into a temp dir, a free loopback port, fsync off.
 * Superuser {@code postgres}, trust authentication. When the JVM runs as root the server runs as
 * the {@code postgres} system user (PostgreSQL refuses root), through {@code runuser}.
 *
 * <p>Where the TimescaleDB extension is installed beside the server ({@code timescaledb.control}
 * in {@code pg_config --sharedir}/extension) the cluster preloads it ({@code
 * shared_preload_libraries = 'timescaledb'}, telemetry off, written to postgresql.conf at initdb
 * time), so every test runs on TimescaleDB there, as production does. The system property {@code
 * cea.pg.timescale} selects: {@code auto} (default: TimescaleDB when installed), {@code off}
 * (plain PostgreSQL even where it is installed) or {@code on} (TimescaleDB, failing where it is
 * not installed). Each start prints one line on stderr saying which backend it runs.
 */
public final class PostgresCluster implements AutoCloseable {
    private static final Duration CMD_TIMEOUT = Duration.ofSeconds(120);
    /** System property selecting the backend: auto, on or off. */
    public static final String TIMESCALE_PROPERTY = "cea.pg.timescale";
    private static Boolean installed;
    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;
    private final boolean timescale;
    private boolean closed;

    private PostgresCluster(Path bin, Path dir, int port, boolean timescale) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.timescale = timescale;
    }

    /** Initialises and starts a new cluster, on TimescaleDB when {@link #timescaleSelected()}. */
    public static PostgresCluster start() {
        return start(timescaleSelected());
    }

    /**
     * Initialises and starts a new cluster of plain PostgreSQL whatever {@code -D}{@value #TIMESCALE_PROPERTY}
     * says, for the tests of what happens where the extension is absent.
     */
    public static PostgresCluster startPlain() {
        return start(false);
    }

    private static PostgresCluster start(boolean ts) {
        Path bin = findBinDir();
        Path dir = Processes.tempDir("cea-pg-");
        PostgresCluster c = new PostgresCluster(bin, dir, Processes.freePort(), ts);
        try {
            c.init();
            c.startServer();
            System.err.println("PostgresCluster: " + c + " runs " + describeBackend(ts));
            return c;
        } catch (RuntimeException e) {
            try {
                c.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The PostgreSQL server binary directory: {@code $PG_BIN}, else the newest /usr/lib/postgresql/N/bin. */
    public static Path findBinDir() {
        String env = System.getenv("PG_BIN");
        if (env != null && Files.isExecutable(Path.of(env, "initdb"))) {
            return Path.of(env);
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> s = Files.list(root)) {
                Path best = s.filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(p -> parseIntOr(p.getFileName().toString())))
                        .orElse(null);
                if (best != null) {
                    return best.resolve("bin");
                }
            } catch (IOException ignored) {
                // fall through to the error
            }
        }
        throw new IllegalStateException("PostgreSQL server binaries not found under /usr/lib/postgresql: "
                + "run 'make deps' (apt-get install postgresql) or set PG_BIN");
    }

    /** True when the TimescaleDB extension's control file is in the server's share directory. */
    public static synchronized boolean timescaleInstalled() {
        if (installed == null) {
            String share = Processes.runOk(List.of(findBinDir().resolve("pg_config").toString(), "--sharedir"),
                    CMD_TIMEOUT).trim();
            installed = Files.exists(Path.of(share, "extension", "timescaledb.control"));
        }
        return installed;
    }

    /**
     * True when new clusters preload TimescaleDB: {@code -Dcea.pg.timescale} is {@code on}, or
     * {@code auto} / unset and the extension is installed.
     */
    public static boolean timescaleSelected() {
        String mode = System.getProperty(TIMESCALE_PROPERTY, "auto").trim().toLowerCase();
        switch (mode) {
            case "off":
            case "false":
                return false;
            case "on":
            case "true":
                if (!timescaleInstalled()) {
                    throw new IllegalStateException("-D" + TIMESCALE_PROPERTY + "=" + mode
                            + " but TimescaleDB is not installed (no timescaledb.control in the server's share directory)");
                }
                return true;
            case "":
            case "auto":
                return timescaleInstalled();
            default:
                throw new IllegalArgumentException("-D" + TIMESCALE_PROPERTY + "=" + mode + ": expected auto, on or off");
        }
    }

    /** Why the tests run where they run, for skip messages and the start-up line. */
    public static String describeBackend(boolean timescale) {
        if (timescale) {
            return "TimescaleDB (shared_preload_libraries = timescaledb; -D" + TIMESCALE_PROPERTY + "=off for plain PostgreSQL)";
        }
        return timescaleInstalled()
                ? "plain PostgreSQL (TimescaleDB installed but -D" + TIMESCALE_PROPERTY + "=off)"
                : "plain PostgreSQL (TimescaleDB not installed)";
    }

    /** True when this cluster preloads TimescaleDB. */
    public boolean timescale() {
        return timescale;
    }

    private static int parseIntOr(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Port the server listens on. */
    public int port() {
        return port;
    }

    /** JDBC URL of a database, as superuser {@code postgres}. */
    public String jdbcUrl(String db) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + db + "?user=postgres";
    }

    /** {@code postgresql://postgres@127.0.0.1:PORT/db}, the form the tools take. */
    public String url(String db) {
        return "postgresql://postgres@127.0.0.1:" + port + "/" + db;
    }

    /** Creates a database (fails if it exists). */
    public void createDatabase(String name) {
        psql("postgres", "CREATE DATABASE \"" + name + "\"");
    }

    /** Runs SQL through the psql binary and returns its unaligned, tuples-only output. */
    public String psql(String db, String sql) {
        return Processes.runOk(List.of(bin.resolve("psql").toString(), "-X", "-q", "-A", "-t",
                "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres",
                "-d", db, "-c", sql), CMD_TIMEOUT).trim();
    }

    /** Path to a server binary such as {@code psql} or {@code pg_dump}. */
    public Path binary(String name) {
        return bin.resolve(name);
    }

    /** True when the postmaster answers. */
    public boolean isRunning() {
        return Processes.run(List.of(bin.resolve("pg_isready").toString(), "-q", "-h", "127.0.0.1",
                "-p", Integer.toString(port)), CMD_TIMEOUT).exitCode() == 0;
    }

    /** Starts the server (after {@link #stop()} or {@link #kill9()}) and waits until it accepts connections. */
    public void startServer() {
        String opts = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                + " -c full_page_writes=off -c max_connections=200";
        Processes.runOk(asServerUser(List.of(bin.resolve("pg_ctl").toString(), "start", "-w", "-t", "60",
                "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-o", opts)), CMD_TIMEOUT);
    }

    /** Fast shutdown (what systemd does on stop). */
    public void stop() {
        if (!Files.exists(data.resolve("postmaster.pid"))) {
            return;
        }
        Processes.run(asServerUser(List.of(bin.resolve("pg_ctl").toString(), "stop", "-w", "-m", "fast",
                "-D", data.toString())), CMD_TIMEOUT);
    }

    /** SIGKILL to the postmaster and every backend, as a crash would. */
    public void kill9() {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile, StandardCharsets.UTF_8).get(0).trim());
            Processes.killTree(pid);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot kill postgres in " + data, e);
        }
    }

    /** Kill -9 and start again on the same port and data. */
    public void restart() {
        kill9();
        startServer();
    }

    private void init() {
        if (Processes.isRoot()) {
            Processes.runOk(List.of("chown", "-R", "postgres:postgres", dir.toString()), CMD_TIMEOUT);
        }
        Processes.runOk(asServerUser(List.of(bin.resolve("initdb").toString(), "-D", data.toString(),
                "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")), CMD_TIMEOUT);
        if (timescale) {
            // in postgresql.conf rather than ALTER SYSTEM: timescaledb.* settings are known only once
            // the library is loaded, and the first start must already have it
            String conf = "\n# test-support: TimescaleDB preloaded (PostgresCluster)\n"
                    + "shared_preload_libraries = 'timescaledb'\n"
                    + "timescaledb.telemetry_level = off\n"
                    // one scheduler per database that has the extension, plus the jobs it starts
                    + "max_worker_processes = 32\n"
                    + "timescaledb.max_background_workers = 24\n";
            try {
                Files.writeString(data.resolve("postgresql.conf"), conf, StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write " + data.resolve("postgresql.conf"), e);
            }
        }
    }

    private List<String> asServerUser(List<String> cmd) {
        if (!Processes.isRoot()) {
            return cmd;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        wrapped.addAll(cmd);
        return wrapped;
    }

    /** Stops the server (kill -9 if a stop does not work) and deletes its directory; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            kill9();
            Processes.deleteTree(dir);
        }
    }

    @Override
    public String toString() {
        return "PostgresCluster[127.0.0.1:" + port + ", dir=" + dir + (timescale ? ", timescaledb" : "") + "]";
    }
}
