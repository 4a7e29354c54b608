package org.cea.tools.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** can-decode against cantools' own CLI output for the socialledge fixtures. */
class CanDecodeMainTest {
    private static final Path CANTOOLS = TestServers.testdata().resolve("cantools");
    private static final String SOCIALLEDGE = CANTOOLS.resolve("dbc/socialledge.dbc").toString();

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CanDecodeMain.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "socialledge_decode_default, ''",
        "socialledge_decode_abs_ts_prune, --prune",
        "socialledge_decode_logfmt_prune, --prune",
        "socialledge_decode_logfmt_prune_single_line, --prune --single-line",
    })
    void printsWhatCantoolsDecodePrints(String fixture, String flags) throws IOException {
        String input = CANTOOLS.resolve("fixtures/" + fixture + ".input.txt").toString();
        List<String> args = new java.util.ArrayList<>(List.of("--dbc", SOCIALLEDGE));
        for (String f : flags.split(" ")) {
            if (!f.isEmpty()) {
                args.add(f);
            }
        }
        args.add(input);
        Run r = run("", args.toArray(new String[0]));
        assertEquals(0, r.exit(), r.err());
        assertEquals(Files.readString(CANTOOLS.resolve("fixtures/" + fixture + ".expected.txt"), StandardCharsets.UTF_8),
                r.out());
    }

    @Test
    void jsonLinesMatchTheCantoolsJsonFixture() throws IOException {
        String input = Files.readString(CANTOOLS.resolve("fixtures/socialledge_decode_logfmt_prune.input.txt"));
        Run r = run(input, "--dbc", SOCIALLEDGE, "--json");
        assertEquals(0, r.exit(), r.err());
        List<String> want = Files.readAllLines(CANTOOLS.resolve("fixtures/socialledge_decode_logfmt.expected.jsonl"));
        List<String> got = r.out().lines().toList();
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            var w = JsonParser.parseString(want.get(i)).getAsJsonObject();
            var g = JsonParser.parseString(got.get(i)).getAsJsonObject();
            for (String key : w.keySet()) {
                assertEquals(w.get(key), g.get(key), "line " + (i + 1) + " key " + key);
            }
        }
    }

    @Test
    void decodesFacilityFramesWithTheDefaultProfile() {
        String etc = TestServers.projectRoot().resolve("etc").toString();
        // PT100 node 1: 23.55 °C = 2355 = 0x0933, 18.20 °C = 1820 = 0x071C, status 0, seq 17
        Run r = run("(1734001123.123456) can0 101#33091C0700000011\n(1734001123.123457) can0 7FF#00\n",
                "--etc", etc, "--single-line");
        assertEquals(0, r.exit(), r.err());
        assertEquals("(1734001123.123456) can0 101#33091C0700000011 :: "
                + "PT100(temp_dry_c: 23.55 \u00B0C, temp_wet_c: 18.2 \u00B0C, status: ok, seq: 17)\n"
                + "(1734001123.123457) can0 7FF#00 :: Unknown frame id 2047 (0x7ff)\n", r.out());
        Run j = run("(1734001123.123456) can0 101#33091C0700000011\n", "--etc", etc, "--json");
        var o = JsonParser.parseString(j.out()).getAsJsonObject();
        assertEquals(1, o.get("node_id").getAsInt());
        assertEquals(23.55, o.getAsJsonObject("signals").get("temp_dry_c").getAsDouble());
    }

    @Test
    void badFlagsPrintUsageAndExit2() {
        Run r = run("", "--bogus");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("usage: can-decode"), r.err());
        assertTrue(r.err().contains("bogus"), r.err());
        assertEquals("", r.out());
        assertEquals(2, run("", "a.log", "b.log").exit());
        Run help = run("", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--dbc"), help.out());
        assertEquals("", help.err());
    }

    @Test
    void aMissingLogFileIsNamedAsMissing(@TempDir Path dir) {
        Path missing = dir.resolve("nope.log");
        Run r = run("", missing.toString());
        assertEquals(1, r.exit());
        assertEquals("can-decode: " + missing + ": no such file (check the path; - reads stdin)\n", r.err());
    }

    @Test
    void aDirectoryIsNamedAsADirectory(@TempDir Path dir) {
        Run r = run("", dir.toString());
        assertEquals(1, r.exit());
        assertEquals("can-decode: " + dir + ": is a directory, not a candump log (give a file, or - for stdin)\n",
                r.err());
    }

    @Test
    void anUnreadableLogFileIsNamedAsUnreadable(@TempDir Path dir) throws IOException {
        // root reads any file whatever its mode: this case can only be shown as another user
        org.junit.jupiter.api.Assumptions.assumeFalse(org.cea.testsupport.Processes.isRoot(),
                "running as root: every file is readable");
        Path f = Files.writeString(dir.resolve("locked.log"), "(1.0) can0 101#00\n");
        Files.setPosixFilePermissions(f, java.util.Set.of());
        Run r = run("", f.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("can-decode: " + f + ": not readable (permission denied"), r.err());
    }

    @Test
    void aBadDbcIsAFatalErrorNamingTheFile() throws IOException {
        Path bad = Files.createTempFile("bad", ".dbc");
        try {
            Files.writeString(bad, "BO_ 1 M: 8 A\n SG_ s : 0|8@7+ (1,0) [0|0] \"\" B\n");
            Run r = run("", "--dbc", bad.toString());
            assertEquals(1, r.exit());
            assertTrue(r.err().startsWith("can-decode: " + bad + ": line 2: unexpected '7'"), r.err());
        } finally {
            Files.delete(bad);
        }
    }

    @Test
    void formatsFloatsAsPythonDoes() {
        assertEquals("2.0", PyFormat.repr(2.0));
        assertEquals("0.0001", PyFormat.repr(0.0001));
        assertEquals("1e-05", PyFormat.repr(0.00001));
        assertEquals("1e+16", PyFormat.repr(1e16));
        assertEquals("1234567890123456.0", PyFormat.repr(1234567890123456.0));
        assertEquals("-2.5e-07", PyFormat.repr(-2.5e-7));
        assertEquals("nan", PyFormat.repr(Double.NaN));
    }
}
