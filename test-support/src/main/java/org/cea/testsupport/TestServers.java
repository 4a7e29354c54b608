package org.cea.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One private redis-server and one PostgreSQL cluster per test JVM, started on first use and
 * stopped by a shutdown hook (also when tests fail). Tests that kill or restart a server should
 * start their own with {@link RedisServer#start} / {@link PostgresCluster#start} instead, so other
 * tests are not disturbed.
 */
public final class TestServers {
    private static RedisServer redis;
    private static PostgresCluster postgres;
    private static boolean hookInstalled;

    private TestServers() {
    }

    /** The shared Redis server (AOF on). */
    public static synchronized RedisServer redis() {
        if (redis == null || !redis.isRunning()) {
            if (redis != null) {
                redis.close();
            }
            redis = RedisServer.start(true);
            installHook();
        }
        return redis;
    }

    /** The shared PostgreSQL cluster. */
    public static synchronized PostgresCluster postgres() {
        if (postgres == null) {
            postgres = PostgresCluster.start();
            installHook();
        }
        return postgres;
    }

    /** A fresh database on the shared cluster with a unique name; returns its name. */
    public static String newDatabase(String prefix) {
        String name = (prefix + "_" + Long.toHexString(System.nanoTime())).toLowerCase();
        postgres().createDatabase(name);
        return name;
    }

    /** Root of the checkout (system property {@code cea.root}, set by the build). */
    public static Path projectRoot() {
        String p = System.getProperty("cea.root");
        Path root = p != null ? Path.of(p) : Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("Makefile"))) {
            root = root.getParent();
        }
        if (root == null) {
            throw new IllegalStateException("cannot find the project root (no Makefile above " + p + ")");
        }
        return root;
    }

    /**
     * {@code testdata/} in the checkout: data from outside the project (cantools' DBC files and
     * decode fixtures, with their licence and provenance in {@code testdata/README.md}).
     */
    public static Path testdata() {
        Path p = projectRoot().resolve("testdata");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("test data not found at " + p + " (is the checkout complete?)");
        }
        return p;
    }

    private static void installHook() {
        if (hookInstalled) {
            return;
        }
        hookInstalled = true;
        Runtime.getRuntime().addShutdownHook(new Thread(TestServers::closeAll, "test-servers-cleanup"));
    }

    private static synchronized void closeAll() {
        if (redis != null) {
            redis.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
