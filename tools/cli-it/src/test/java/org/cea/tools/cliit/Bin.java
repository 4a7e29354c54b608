package org.cea.tools.cliit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cea.testsupport.Processes;
import org.cea.testsupport.TestServers;

/** Runs a script of bin/ as an operator or systemd would: its own process, stdin /dev/null, output captured. */
final class Bin {
    /** A log line of slf4j-simple at INFO, WARN or DEBUG (both layouts the tools use); not a diagnostic. */
    private static final Pattern LOG_LINE = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\dT\\S+ |\\[[^\\]]+\\] )?(INFO|WARN|DEBUG) .*");
    /** A stack frame or a chained cause of a printed stack trace. */
    static final Pattern STACK_LINE = Pattern.compile("^\\s+at [\\w$.]+\\(.*|^Caused by: .*|^\\s+\\.\\.\\. \\d+ more$");

    /** Exit status, stdout and stderr of one run. */
    record Run(String script, int exit, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : Arrays.asList(err.split("\n"));
        }

        /** stderr without the tools' INFO/WARN log lines. */
        List<String> diagnostics() {
            return errLines().stream().filter(l -> !LOG_LINE.matcher(l).matches()).collect(Collectors.toList());
        }

        boolean hasStackTrace() {
            return errLines().stream().anyMatch(l -> STACK_LINE.matcher(l).matches());
        }

        @Override
        public String toString() {
            return script + ": exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Bin() {
    }

    static Path dir() {
        return TestServers.projectRoot().resolve("bin");
    }

    /** Every executable script in bin/, by name. */
    static List<String> scripts() {
        try (Stream<Path> s = Files.list(dir())) {
            return s.filter(Files::isRegularFile).filter(Files::isExecutable).map(p -> p.getFileName().toString())
                    .sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir(), e);
        }
    }

    /** A script started in the background; {@link #terminate} sends SIGTERM (what systemd sends). */
    static final class Started implements AutoCloseable {
        private final String script;
        private final Process process;
        private final Path tmp;

        Started(String script, Process process, Path tmp) {
            this.script = script;
            this.process = process;
            this.tmp = tmp;
        }

        String err() {
            try {
                return Files.readString(tmp.resolve("err"), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(stderr unreadable: " + e.getMessage() + ")";
            }
        }

        /** Waits until stderr holds {@code marker}. */
        void awaitErr(String marker, int timeoutSeconds) {
            long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
            while (!err().contains(marker)) {
                if (!process.isAlive()) {
                    throw new AssertionError(script + " exited with " + process.exitValue() + " before '" + marker
                            + "':\n" + err());
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError(script + ": no '" + marker + "' within " + timeoutSeconds + " s:\n" + err());
                }
                Processes.sleep(100);
            }
        }

        /** SIGTERM to the JVM (not the wrapper: bin/ scripts exec java, so it is the same pid) and the exit status. */
        int terminate(int timeoutSeconds) throws InterruptedException {
            process.destroy();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                Processes.killTree(process.pid());
                throw new AssertionError(script + " did not exit within " + timeoutSeconds + " s of SIGTERM:\n" + err());
            }
            return process.exitValue();
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                Processes.killTree(process.pid());
            }
            Processes.deleteTree(tmp);
        }
    }

    static Started start(String script, String... args) {
        return start(script, Map.of(), args);
    }

    /** {@link #start(String, String...)} with extra environment variables. */
    static Started start(String script, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(dir().resolve(script).toString()));
        cmd.addAll(List.of(args));
        Path tmp = Processes.tempDir("cli-it-");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectOutput(tmp.resolve("out").toFile())
                .redirectError(tmp.resolve("err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("CEA_BUILD_DIR", System.getProperty("cea.buildDir", "target"));
        pb.environment().remove("DB_URL");
        pb.environment().remove("REDIS_URL");
        pb.environment().remove("JAVA_OPTS");
        pb.environment().putAll(env);
        try {
            return new Started(script, pb.start(), tmp);
        } catch (IOException e) {
            throw new AssertionError("cannot start " + cmd, e);
        }
    }

    static Run run(String script, Map<String, String> env, int timeoutSeconds, String... args) {
        List<String> cmd = new ArrayList<>(List.of(dir().resolve(script).toString()));
        cmd.addAll(List.of(args));
        try {
            Path tmp = Processes.tempDir("cli-it-");
            Path out = tmp.resolve("out");
            Path err = tmp.resolve("err");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("CEA_BUILD_DIR", System.getProperty("cea.buildDir", "target"));
            pb.environment().remove("DB_URL");
            pb.environment().remove("REDIS_URL");
            pb.environment().remove("CEA_DEBUG");
            pb.environment().remove("JAVA_OPTS");
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                Processes.killTree(p.pid());
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(script + " " + String.join(" ", args) + " did not exit within "
                        + timeoutSeconds + " s; stderr so far:\n" + Files.readString(err, StandardCharsets.UTF_8));
            }
            Run r = new Run(script + " " + String.join(" ", args), p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            Processes.deleteTree(tmp);
            return r;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
