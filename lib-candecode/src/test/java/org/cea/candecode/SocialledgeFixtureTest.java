package org.cea.candecode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cea.candecode.dbc.Dbc;
import org.cea.candecode.dbc.DbcParser;
import org.cea.candecode.dbc.DbcSignal;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;

/** The per-line results cantools produced for the socialledge log (socialledge_decode_logfmt.expected.jsonl). */
class SocialledgeFixtureTest {
    private static final Path CANTOOLS = TestServers.testdata().resolve("cantools");

    @Test
    void agreesWithEveryLineOfTheCantoolsJsonFixture() throws IOException {
        Dbc dbc = DbcParser.parse(CANTOOLS.resolve("dbc/socialledge.dbc"));
        FrameDecoder decoder = FrameDecoder.forDbc(dbc);
        List<String> lines = Files.readAllLines(CANTOOLS.resolve("fixtures/socialledge_decode_logfmt.expected.jsonl"),
                StandardCharsets.UTF_8);
        int checked = 0;
        for (String l : lines) {
            JsonObject want = JsonParser.parseString(l).getAsJsonObject();
            String line = want.get("line").getAsString();
            if (want.has("frame") && want.get("frame").isJsonNull()) {
                assertThrows(CandumpFormatException.class, () -> Candump.parseLine(line, 1), line);
                continue;
            }
            byte[] data = Hex.parseSpaced(want.get("data").getAsString());
            if (data.length > 8) {
                // candump never writes more than 8 bytes in a classic frame: the parser rejects the line;
                // the cantools wording for it is checked through can-decode (CanDecodeMainTest).
                assertThrows(CandumpFormatException.class, () -> Candump.parseLine(line, 1), line);
                assertEquals("Wrong data size: 10 instead of 1 bytes", want.get("error").getAsString());
                continue;
            }
            CanFrame frame = Candump.parseLine(line, 1);
            assertEquals(want.get("frame_id").getAsInt(), frame.id(), line);
            assertEquals(want.get("is_extended").getAsBoolean(), frame.extended(), line);
            assertEquals(Math.round(want.get("timestamp").getAsDouble() * 1e6), frame.timestampMicros(), 1, line);
            check(dbc, decoder.decode(frame), want, line);
            checked++;
        }
        assertEquals(5, checked, "decodable lines in the fixture");
    }

    private static void check(Dbc dbc, DecodeResult r, JsonObject want, String line) {
        if (want.has("error")) {
            String error = want.get("error").getAsString();
            String got = r instanceof UnknownFrame u ? u.describe() : ((WrongLength) r).describe();
            assertEquals(error, got, line);
            return;
        }
        DecodedMessage m = assertInstanceOf(DecodedMessage.class, r, line);
        assertEquals(want.get("message").getAsString(), m.messageType(), line);
        JsonObject signals = want.getAsJsonObject("signals");
        JsonObject raws = want.getAsJsonObject("raw");
        assertEquals(List.copyOf(signals.keySet()), List.copyOf(m.signals().keySet()), line + ": signals in order");
        byte[] data = m.frame().data();
        for (String name : signals.keySet()) {
            DbcSignal s = dbc.messageByName(m.messageType()).orElseThrow().signal(name).orElseThrow();
            long raw = s.rawValue(data);
            assertEquals(raws.get(name).getAsLong(), raw, line + ": raw " + name);
            JsonElement v = signals.get(name);
            if (v.getAsJsonPrimitive().isString()) {
                assertEquals(v.getAsString(), s.choice(raw), line + ": " + name);
            } else if (v.getAsString().contains(".")) {
                assertInstanceOf(Double.class, m.signals().get(name), line + ": " + name + " is a float");
                assertEquals(v.getAsDouble(), m.signals().get(name).doubleValue(), 1e-12, line + ": " + name);
            } else {
                assertInstanceOf(Long.class, m.signals().get(name), line + ": " + name + " is an integer");
                assertEquals(v.getAsLong(), m.signals().get(name).longValue(), line + ": " + name);
            }
        }
    }

    @Test
    void reportsAShortFrameOfAKnownIdAsWrongLength() {
        Dbc dbc = DbcParser.parse(CANTOOLS.resolve("dbc/socialledge.dbc"));
        // BO_ 500 IO_DEBUG: 4 bytes; 3 given
        DecodeResult r = FrameDecoder.forDbc(dbc).decode(CanFrame.standard(500, new byte[] {1, 2, 3}, 0));
        WrongLength w = assertInstanceOf(WrongLength.class, r);
        assertEquals("IO_DEBUG", w.messageType());
        assertEquals(4, w.expectedLength());
        assertEquals("Wrong data size: 3 instead of 4 bytes", w.describe());
        // the DBC has no extended 0x000001F4: cantools looks messages up by the numeric id alone, so the
        // extended-form frame decodes as the standard IO_DEBUG (issue 12, section 4)
        DecodeResult ext = FrameDecoder.forDbc(dbc).decode(CanFrame.data(500, true, new byte[4], 0));
        assertEquals("IO_DEBUG", assertInstanceOf(DecodedMessage.class, ext).messageType());
        assertTrue(FrameDecoder.forDbc(dbc).decode(CanFrame.data(0x1F3, true, new byte[4], 0)) instanceof UnknownFrame,
                "an id the DBC has in neither form stays unknown");
    }
}
