package org.cea.tools.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.cea.testsupport.Processes;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/can-decode as a user runs it: the shell wrapper, the packaged jar, the default profile in etc/. */
class CanDecodeIT {
    private static final Path ROOT = TestServers.projectRoot();

    private static Processes.Result canDecode(String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "CEA_BUILD_DIR=" + System.getProperty("cea.buildDir", "target"),
                ROOT.resolve("bin/can-decode").toString()));
        cmd.addAll(List.of(args));
        return Processes.run(cmd, Duration.ofSeconds(60));
    }

    @Test
    void decodesALogWithTheFacilityProfile(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("can.log");
        // BARO node 3: 1012.7 hPa = 10127 = 0x278F, -5.00 °C = -500 = 0xFE0C, seq 255
        Files.writeString(log, "(1734001123.000001) can0 302#8F270CFE000000FF\n", StandardCharsets.UTF_8);
        Processes.Result r = canDecode(log.toString());
        assertEquals(0, r.exitCode(), r.output());
        assertEquals("(1734001123.000001) can0 302#8F270CFE000000FF ::\nBARO(\n    pressure_hpa: 1012.7 hPa,\n"
                + "    temp_c: -5.0 \u00B0C,\n    seq: 255\n)\n", r.output());
    }

    @Test
    void badFlagsExitWith2() {
        Processes.Result r = canDecode("--no-such-flag");
        assertEquals(2, r.exitCode());
        assertTrue(r.output().contains("usage: can-decode"), r.output());
    }
}
