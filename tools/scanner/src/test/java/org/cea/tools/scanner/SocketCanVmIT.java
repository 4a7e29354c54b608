package org.cea.tools.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.cea.candecode.CanFrame;
import org.cea.candecode.Candump;
import org.cea.testsupport.Processes;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real SocketCAN: inside a throw-away VM with vcan0 (scripts/vcan-vm/run-in-vm.sh), the scanner reads
 * {@code socketcan:vcan0} while cangen/cansend send frames and can-utils' own {@code candump -L}
 * records the same bus. Every frame must reach the scanner's debug sink with the id, flags, data
 * and the kernel timestamp candump saw. The VM emulates the CPU (~12x slower): generous timeouts.
 */
class SocketCanVmIT {
    private static final int RANDOM_STANDARD = 100;
    private static final int RANDOM_EXTENDED = 50;
    private static final int TOTAL = RANDOM_STANDARD + RANDOM_EXTENDED + 3;
    private Path dir;

    @BeforeEach
    void setUp() {
        dir = Processes.tempDir("cea-vcan-it-");
    }

    @AfterEach
    void tearDown() {
        Processes.deleteTree(dir);
    }

    @Test
    void everyFrameOnVcanArrivesWithIdDataAndKernelTimestamp() throws Exception {
        Path vm = TestServers.projectRoot().resolve("scripts/vcan-vm/run-in-vm.sh");
        assertTrue(Files.isExecutable(vm), vm + " missing");
        assertTrue(Processes.onPath("qemu-system-x86_64") != null && Processes.onPath("cangen") != null,
                "qemu-system-x86 and can-utils are needed: run 'make deps'");
        // The guest sees the host's root read-only but gets a fresh tmpfs on /tmp, and only `dir` is
        // shared read-write: a checkout under /tmp would be invisible, so the scanner runs from a copy.
        Path app = copyScannerInto(dir.resolve("app"));
        List<String> java = ScannerProcess.command(app, app.resolve("etc"), List.of("--source", "socketcan:vcan0", "--no-stream", "--no-db",
                "--sink", "candump:" + dir.resolve("scan.log"), "--quiet", "--count", Integer.toString(TOTAL),
                "--duration", "300", "--stats-interval", "0"));
        java.add(1, "-Djna.tmpdir=/tmp");
        java.add(1, "-XX:TieredStopAtLevel=1");
        String script = String.join("\n",
                "cd " + dir,
                "candump -L vcan0 > ref.log 2> ref.err &",
                "CD=$!",
                quote(java) + " > scan.out 2> scan.err &",
                "SP=$!",
                "for i in $(seq 1 1200); do grep -q 'reading socketcan:vcan0' scan.err && break; "
                        + "kill -0 $SP 2>/dev/null || break; sleep 0.25; done",
                "sleep 1",
                "cangen vcan0 -n " + RANDOM_STANDARD + " -g 3 -I r -L r -D r",
                "cangen vcan0 -n " + RANDOM_EXTENDED + " -g 3 -e -I r -L r -D r",
                "cansend vcan0 123#R",
                "cansend vcan0 7FF#",
                "cansend vcan0 1ABCDEF0#0011223344556677",
                "wait $SP; rc=$?",
                "sleep 0.5; kill $CD",
                "echo scanner-exit=$rc",
                "exit $rc");
        Processes.Result r = Processes.run(List.of("bash", "-c", "cd " + dir + " && " + vm + " -t 540 "
                + shellQuote(script)), Duration.ofSeconds(600));
        String diag = r.output() + "\nscanner stderr:\n" + read("scan.err");
        assertEquals(0, r.exitCode(), diag);
        List<CanFrame> expected = frames("ref.log");
        List<CanFrame> got = frames("scan.log");
        assertEquals(TOTAL, expected.size(), "candump saw every frame sent\n" + diag);
        assertEquals(expected, got, "scanner frames (id, flags, data, kernel timestamp) equal candump's");
        assertTrue(got.stream().anyMatch(CanFrame::extended) && got.stream().anyMatch(CanFrame::rtr));
    }

    private List<CanFrame> frames(String name) throws Exception {
        List<String> lines = Files.readAllLines(dir.resolve(name));
        long[] n = {0};
        return lines.stream().filter(l -> !l.isBlank()).map(l -> Candump.parseLine(l.replace(" vcan0 ", " can0 "),
                ++n[0])).collect(Collectors.toList());
    }

    private String read(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (Exception e) {
            return "(" + name + " unreadable: " + e + ")";
        }
    }

    private static String quote(List<String> cmd) {
        return cmd.stream().map(SocketCanVmIT::shellQuote).collect(Collectors.joining(" "));
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static Path copyScannerInto(Path app) throws java.io.IOException {
        Path build = ScannerProcess.buildDir();
        Files.createDirectories(app.resolve("lib"));
        Files.createDirectories(app.resolve("etc"));
        Files.copy(build.resolve("can-scanner.jar"), app.resolve("can-scanner.jar"));
        try (var jars = Files.list(build.resolve("lib"))) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                Files.copy(jar, app.resolve("lib").resolve(jar.getFileName()));
            }
        }
        Path etc = TestServers.projectRoot().resolve("etc");
        for (String f : List.of("cea.dbc", "facility.json")) {
            Files.copy(etc.resolve(f), app.resolve("etc").resolve(f));
        }
        return app;
    }
}
