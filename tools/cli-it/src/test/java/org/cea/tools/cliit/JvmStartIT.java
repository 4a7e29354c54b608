package org.cea.tools.cliit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a service's JVM loads and maps at start (issue 20: memory and start-up on the Pi), seen from a
 * real run of its bin/ script with the JVM's own class-load log ({@code -Xlog:class+load}, through
 * {@code JAVA_TOOL_OPTIONS}, so the wrapper's flags stay as they are).
 */
class JvmStartIT {
    private static final String BUILD = System.getProperty("cea.buildDir", "target");

    /** The classes the JVM loaded, one log line each ("name source: ..."). */
    private static List<String> loaded(Path log) throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8);
    }

    private static boolean any(List<String> lines, String prefix) {
        return lines.stream().anyMatch(l -> l.contains("] " + prefix));
    }

    private static Path config(Path dir, String notifiers) throws IOException {
        Path c = dir.resolve("automation.json");
        Files.writeString(c, "{\"evaluation_period_s\": 1, \"rules\": [{\"name\": \"co2_high\", \"kind\": \"band\","
                + " \"sensor\": \"co2_b\", \"max\": 1500}], \"notifiers\": [" + notifiers + "]}");
        return c;
    }

    private static List<String> runAutomation(Path dir, Path config) throws Exception {
        Path log = dir.resolve("classes.txt");
        Files.deleteIfExists(log);
        try (Bin.Started a = Bin.start("cea-automation", Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log),
                "--config", config.toString(), "--redis-url", TestServers.redis().url(), "--metrics-listen", "off",
                "--consumer", "jvm-start-it")) {
            a.awaitErr("cea-automation started", 60);
            assertEquals(0, a.terminate(30), a.err());
        }
        return loaded(log);
    }

    @Test
    void automationLoadsNeitherMailNorAnHttpClientAtStartWithoutANotifierThatUsesThem(@TempDir Path dir) throws Exception {
        List<String> command = runAutomation(dir, config(dir, "{\"name\": \"desk\", \"type\": \"command\", \"argv\": [\"true\"]}"));
        assertTrue(any(command, "org.cea.tools.automation.AutomationService "), "the class-load log names the service's classes");
        assertFalse(any(command, "jakarta.mail."), "a configuration without e-mail loaded Jakarta Mail");
        assertFalse(any(command, "java.net.http.HttpClient "), "a configuration without a webhook loaded the HTTP client");
        assertFalse(any(command, "com.sun.net.httpserver."), "--metrics-listen off loaded the HTTP server");

        List<String> webhook = runAutomation(dir, config(dir,
                "{\"name\": \"hook\", \"type\": \"webhook\", \"url\": \"http://127.0.0.1:9/alerts\"}"));
        // the webhook posts with HttpURLConnection, loaded at its first send: java.net.http's client (a selector
        // thread, an executor, ~3 MB) is never loaded
        assertFalse(any(webhook, "java.net.http."), "the webhook notifier loaded java.net.http");
        assertFalse(any(webhook, "jakarta.mail."), "a webhook-only configuration loaded Jakarta Mail");
    }

    /**
     * bin/_tool maps {@code <artifact>.jsa} beside the jar when it is newer than the jar (scripts/cds-archives.sh
     * makes it with {@code CEA_CDS=dump}), and without a word ignores it when the jar was rebuilt after it.
     * On a copy of the wrapper and the jars, so the build's own archives are left alone.
     */
    @Test
    void toolMapsItsClassArchiveAndIgnoresAStaleOne(@TempDir Path dir) throws Exception {
        Path root = TestServers.projectRoot();
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String s : List.of("_tool", "cea-automation")) {
            Files.copy(root.resolve("bin").resolve(s), bin.resolve(s), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path target = Files.createDirectories(dir.resolve("tools/automation").resolve(BUILD).resolve("lib"));
        Path built = root.resolve("tools/automation").resolve(BUILD);
        Path jar = target.getParent().resolve("cea-automation.jar");
        Files.copy(built.resolve("cea-automation.jar"), jar, StandardCopyOption.COPY_ATTRIBUTES);
        try (Stream<Path> libs = Files.list(built.resolve("lib"))) {
            for (Path l : libs.collect(Collectors.toList())) {
                Files.copy(l, target.resolve(l.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        Path jsa = target.getParent().resolve("cea-automation.jsa");

        Run dump = run(bin, dir, Map.of("CEA_CDS", "dump"), "--help");
        assertEquals(0, dump.exit, dump.err);
        assertTrue(Files.size(jsa) > 100_000, "CEA_CDS=dump wrote " + jsa);

        Path log = dir.resolve("classes.txt");
        Run mapped = run(bin, dir, Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log), "--help");
        assertEquals(0, mapped.exit, mapped.err);
        assertTrue(loaded(log).stream().anyMatch(l -> l.contains("] org.cea.tools.automation.AutomationMain source: shared objects file (top)")),
                "the tool's main class came from its archive: " + loaded(log).stream().filter(l -> l.contains("org.cea")).findFirst());

        // a rebuild: the jar is newer than the archive
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jsa).toMillis() + 10_000));
        Files.delete(log);
        Run stale = run(bin, dir, Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log), "--help");
        assertEquals(0, stale.exit, stale.err);
        assertTrue(loaded(log).stream().anyMatch(l -> l.contains("] org.cea.tools.automation.AutomationMain source: file:")),
                "with a stale archive the main class is loaded from the jar");
        assertEquals("", stale.err.replaceAll("(?m)^Picked up JAVA_TOOL_OPTIONS:.*\n", ""), "a stale archive is ignored silently");
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(Path bin, Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(bin.resolve("cea-automation").toString()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("CEA_BUILD_DIR", BUILD);
        pb.environment().remove("JAVA_OPTS");
        pb.environment().remove("CEA_CDS");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not exit within 60 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
