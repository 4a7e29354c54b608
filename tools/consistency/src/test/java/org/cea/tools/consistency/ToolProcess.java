package org.cea.tools.consistency;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cea.testsupport.Processes;
import org.cea.testsupport.TestServers;

/** A built tool jar ({@code tools/<module>/<buildDir>/<artifact>.jar}) run as its own JVM, output in a log file. */
final class ToolProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ToolProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ToolProcess start(Path dir, String module, String artifact, List<String> args) {
        Path jar = TestServers.projectRoot().resolve(module).resolve(System.getProperty("cea.buildDir", "target"))
                .resolve(artifact + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(artifact + " not built: " + jar + " (build with -pl tools/consistency -am)");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:+UseSerialGC", "-jar", jar.toString()));
        cmd.addAll(args);
        Path log = dir.resolve(artifact + ".log");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            return new ToolProcess(artifact, p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + artifact, e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM (what systemd sends) and wait; the exit status. */
    int terminate() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                Processes.killTree(process.pid());
                throw new AssertionError(name + " did not exit within 60 s of SIGTERM:\n" + log());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    /** The output so far (the tail, for assertion messages). */
    String log() {
        try {
            String s = Files.readString(log, StandardCharsets.UTF_8);
            return s.length() > 6000 ? "…" + s.substring(s.length() - 6000) : s;
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            Processes.killTree(process.pid());
        }
    }
}
