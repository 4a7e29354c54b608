package org.cea.tools.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cea.testsupport.Processes;
import org.cea.testsupport.TestServers;

/** A can-worker JVM started from the built jar, so tests can SIGTERM or kill -9 it. */
final class WorkerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static Path jar() {
        Path root = TestServers.projectRoot();
        Path jar = root.resolve("tools/worker").resolve(System.getProperty("cea.buildDir", "target"))
                .resolve("can-worker.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("worker jar not built: " + jar);
        }
        return jar;
    }

    /** Starts a worker with test-friendly intervals; {@code extra} flags come last. */
    static WorkerProcess start(String redisUrl, String dbUrl, String consumer, String... extra) {
        Path root = TestServers.projectRoot();
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto", "-jar", jar().toString(),
                "--redis-url", redisUrl, "--db-url", dbUrl, "--consumer", consumer,
                "--dbc", root.resolve("etc/cea.dbc").toString(),
                "--facility", root.resolve("etc/facility.json").toString(),
                "--status-interval-ms", "500", "--claim-idle-ms", "2000", "--retry-max-ms", "1000"));
        cmd.addAll(List.of(extra));
        try {
            Path log = Files.createTempFile("can-worker-" + consumer + "-", ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new WorkerProcess(p, log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the worker", e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, as a crash. */
    void kill9() {
        Processes.killTree(process.pid());
    }

    /** SIGTERM and wait; returns the exit code. */
    int terminate() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("worker did not exit within 30 s of SIGTERM:\n" + log());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return process.exitValue();
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // temp file
        }
    }
}
