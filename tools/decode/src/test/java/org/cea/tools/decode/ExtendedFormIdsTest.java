package org.cea.tools.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/**
 * Standard ids written in extended form (8 hex digits) while the DBC declares the message standard:
 * decoded by the numeric id as cantools does; exact identity (id, form) wins when the DBC has both.
 */
class ExtendedFormIdsTest {
    private static Path capture(String name) {
        return TestServers.projectRoot().resolve("tools/decode/src/test/resources/captures").resolve(name);
    }

    private static String decode(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CanDecodeMain.run(args, new ByteArrayInputStream(new byte[0]), out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void extendedFormOfAStandardIdDecodesLikeCantoolsWithAForeignDbc() throws IOException {
        Path fixtures = TestServers.testdata().resolve("cantools/fixtures");
        List<String> cantools = Files.readAllLines(fixtures.resolve("socialledge_decode_default.expected.txt"));
        // cantools' output for "  vcan0  0C8   [8]  F0 00 ..." : the line, then the 8-line message block
        String block = String.join("\n", cantools.subList(1, 9)) + "\n";
        String got = decode("--dbc", TestServers.testdata().resolve("cantools/dbc/socialledge.dbc").toString(),
                capture("extended-form-socialledge.log").toString());
        assertEquals("  vcan0  000000C8   [8]  F0 00 00 00 00 00 00 00 ::\n" + block
                + "  vcan0  0C8   [8]  F0 00 00 00 00 00 00 00 ::\n" + block, got);
    }

    @Test
    void extendedFormOfAFacilityIdDecodesAsItsNode() {
        String baro = " ::\nBARO(\n    pressure_hpa: 1012.7 hPa,\n    temp_c: -5.0 \u00B0C,\n    seq: 255\n)\n";
        String got = decode(capture("extended-form-facility.log").toString());
        assertEquals("(1734001123.000001) can0 00000302#8F270CFE000000FF" + baro
                + "(1734001123.000002) can0 302#8F270CFE000000FF" + baro, got);
    }

    @Test
    void exactIdentityWinsWhenTheDbcDeclaresBothForms(@TempDir Path dir) throws IOException {
        // 0x123 = 291 standard; 0x80000123 = 2147483939 marks extended 0x00000123 in a DBC
        Path dbc = Files.writeString(dir.resolve("both.dbc"), "VERSION \"\"\n\nBU_: X\n\n"
                + "BO_ 291 STD_MSG: 1 X\n SG_ a : 0|8@1+ (1,0) [0|255] \"\" X\n\n"
                + "BO_ 2147483939 EXT_MSG: 1 X\n SG_ b : 0|8@1+ (1,0) [0|255] \"\" X\n\n"
                + "BO_ 2147483940 ONLY_EXT: 1 X\n SG_ c : 0|8@1+ (1,0) [0|255] \"\" X\n");
        Path log = Files.writeString(dir.resolve("c.log"), "(1.000000) can0 123#07\n(1.000001) can0 00000123#07\n"
                + "(1.000002) can0 124#07\n");
        String got = decode("--dbc", dbc.toString(), "--single-line", log.toString());
        assertEquals("(1.000000) can0 123#07 :: STD_MSG(a: 7)\n(1.000001) can0 00000123#07 :: EXT_MSG(b: 7)\n"
                + "(1.000002) can0 124#07 :: ONLY_EXT(c: 7)\n", got);
    }
}
