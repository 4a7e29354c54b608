package org.cea.tools.automation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.cea.testsupport.Processes;
import org.cea.testsupport.TestServers;

/** Real processes of the pipeline (scanner on the simulator, worker, cea-automation, cea-actuator), each in its own JVM. */
final class Stack implements AutoCloseable {
    final Path dir;
    private final Map<String, Process> procs = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();

    Stack(Path dir) {
        this.dir = dir;
        env.put("CEA_ETC", TestServers.projectRoot().resolve("etc").toString());
    }

    void env(String k, String v) {
        env.put(k, v);
    }

    /** Starts {@code mainClass} with the test class path; output in {@code dir/name.log} (appended across restarts). */
    Process start(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        procs.put(name, p);
        return p;
    }

    /** SIGKILL, as an OOM kill or power cut would. */
    void kill9(String name) throws InterruptedException {
        Process p = procs.remove(name);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    String log(String name) {
        try {
            return Files.readString(dir.resolve(name + ".log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Every log, for failure messages. */
    String logs() {
        StringBuilder b = new StringBuilder();
        for (String n : List.of("scanner", "worker", "automation", "actuator")) {
            String l = log(n);
            b.append("\n--- ").append(n).append(" (last 3000 chars)\n").append(l.length() > 3000 ? l.substring(l.length() - 3000) : l);
        }
        return b.toString();
    }

    static void await(String what, long timeoutMs, BooleanSupplier ok, Stack s) {
        long end = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what + (s == null ? "" : s.logs()));
            }
            Processes.sleep(100);
        }
    }

    @Override
    public void close() {
        for (Process p : procs.values()) {
            p.destroy();
        }
        for (Process p : procs.values()) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    Processes.killTree(p.pid());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
