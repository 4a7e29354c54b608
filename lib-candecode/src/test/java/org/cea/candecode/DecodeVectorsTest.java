package org.cea.candecode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cea.candecode.dbc.Dbc;
import org.cea.candecode.dbc.DbcMessage;
import org.cea.candecode.dbc.DbcParser;
import org.cea.candecode.dbc.DbcSignal;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every vector of cantools' decode_vectors.json (expected values transcribed from cantools' tests). */
class DecodeVectorsTest {
    private static final Path CANTOOLS = TestServers.testdata().resolve("cantools");
    private static final Map<String, Dbc> DBCS = new HashMap<>();

    static Stream<Arguments> vectors() throws IOException {
        JsonObject root = JsonParser.parseString(Files.readString(
                CANTOOLS.resolve("fixtures/decode_vectors.json"), StandardCharsets.UTF_8)).getAsJsonObject();
        List<Arguments> out = new ArrayList<>();
        for (JsonElement e : root.getAsJsonArray("vectors")) {
            JsonObject v = e.getAsJsonObject();
            out.add(Arguments.of(v.get("dbc").getAsString() + " 0x" + Integer.toHexString(v.get("frame_id").getAsInt())
                    + " " + v.get("data").getAsString() + " " + v.get("opts"), v));
        }
        return out.stream();
    }

    private static synchronized Dbc dbc(String name) {
        return DBCS.computeIfAbsent(name, n -> DbcParser.parse(CANTOOLS.resolve("dbc").resolve(n)));
    }

    @Test
    void thereAreVectorsForEveryFixtureDbcThatHasThem() throws IOException {
        assertTrue(vectors().count() >= 19, "decode_vectors.json has at least 19 vectors");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesLikeCantools(String label, JsonObject v) {
        JsonObject opts = v.getAsJsonObject("opts");
        boolean choices = !opts.has("decode_choices") || opts.get("decode_choices").getAsBoolean();
        boolean scaling = !opts.has("scaling") || opts.get("scaling").getAsBoolean();
        boolean truncated = opts.has("allow_truncated") && opts.get("allow_truncated").getAsBoolean();
        Dbc dbc = dbc(v.get("dbc").getAsString());
        // cantools' library decode allows excess bytes by default; allow_truncated also allows short payloads
        FrameDecoder decoder = FrameDecoder.forDbc(dbc,
                truncated ? FrameDecoder.LengthPolicy.ALLOW_TRUNCATED : FrameDecoder.LengthPolicy.ALLOW_EXCESS);
        byte[] data = Hex.parseSpaced(v.get("data").getAsString());
        CanFrame frame = CanFrame.data(v.get("frame_id").getAsInt(), v.get("extended").getAsBoolean(), data, 0);
        DecodedMessage m = assertInstanceOf(DecodedMessage.class, decoder.decode(frame), label);
        DbcMessage message = dbc.messageByName(m.messageType()).orElseThrow();
        JsonObject expect = v.getAsJsonObject("expect");
        assertEquals(expect.keySet(), m.signals().keySet(), label + ": signal set");
        for (String name : expect.keySet()) {
            DbcSignal s = message.signal(name).orElseThrow();
            JsonElement want = expect.get(name);
            long raw = s.rawValue(data);
            String choice = choices ? s.choice(raw) : null;
            if (choice != null || want.getAsJsonPrimitive().isString()) {
                assertEquals(want.getAsString(), choice, label + ": " + name);
            } else if (!scaling) {
                assertEquals(want.getAsLong(), raw, label + ": raw " + name);
            } else {
                assertNumber(want, m.signals().get(name), label + ": " + name);
            }
        }
    }

    private static void assertNumber(JsonElement want, Number got, String what) {
        String text = want.getAsString();
        if (text.contains(".") || text.contains("e") || text.contains("E")) {
            double w = want.getAsDouble();
            assertInstanceOf(Double.class, got, what + " is a float in cantools");
            assertEquals(w, got.doubleValue(), Math.abs(w) * 1e-12 + 1e-12, what);
        } else {
            assertEquals(want.getAsBigInteger(), new java.math.BigInteger(got.toString()), what);
        }
    }
}
