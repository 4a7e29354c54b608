package org.cea.tools.scanner;

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

/** can-scanner as a separate JVM (built jar + lib/), stdout and stderr in files, so it can be killed. */
final class ScannerProcess implements AutoCloseable {
    final Process process;
    final Path stdout;
    final Path stderr;

    private ScannerProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The built tool directory ({@code tools/scanner/<buildDir>}). */
    static Path buildDir() {
        return TestServers.projectRoot().resolve("tools/scanner").resolve(System.getProperty("cea.buildDir", "target"));
    }

    /** The java command line for the scanner with these arguments. */
    static List<String> command(List<String> args) {
        return command(buildDir(), TestServers.projectRoot().resolve("etc"), args);
    }

    /** The scanner command with its jar and {@code lib/} in {@code jarDir} and its profile in {@code etcDir}. */
    static List<String> command(Path jarDir, Path etcDir, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:+UseSerialGC", "-cp",
                jarDir.resolve("can-scanner.jar") + ":" + jarDir.resolve("lib") + "/*",
                "org.cea.tools.scanner.ScannerMain", "--etc", etcDir.toString()));
        cmd.addAll(args);
        return cmd;
    }

    static ScannerProcess start(Path dir, String name, List<String> args) {
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        try {
            Process p = new ProcessBuilder(command(args)).directory(dir.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            return new ScannerProcess(p, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the scanner", e);
        }
    }

    /** Waits for exit; fails with the stderr tail on timeout. */
    int await(long seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                Processes.killTree(process.pid());
                throw new AssertionError("scanner did not exit within " + seconds + " s; stderr:\n" + stderrText());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Console lines so far. */
    List<String> stdoutLines() {
        try {
            String s = Files.readString(stdout, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(List.of(s.split("\n", -1)));
            lines.remove(lines.size() - 1);
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String stderrText() {
        try {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            Processes.killTree(process.pid());
        }
    }
}
