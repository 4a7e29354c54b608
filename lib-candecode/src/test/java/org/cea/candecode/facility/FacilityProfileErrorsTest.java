package org.cea.candecode.facility;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.cea.candecode.ConfigException;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FacilityProfileErrorsTest {
    private static final Path ETC = TestServers.projectRoot().resolve("etc");

    @TempDir
    Path dir;

    private ConfigException loadFails(Consumer<JsonObject> edit) throws IOException {
        JsonObject root = JsonParser.parseString(Files.readString(ETC.resolve("facility.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
        edit.accept(root);
        Path json = dir.resolve("facility.json");
        Files.writeString(json, root.toString(), StandardCharsets.UTF_8);
        return assertThrows(ConfigException.class, () -> FacilityProfile.load(json, ETC.resolve("cea.dbc")));
    }

    @Test
    void namesTheFileTheKeyAndTheProblem() throws IOException {
        String file = dir.resolve("facility.json").toString();
        ConfigException e = loadFails(r -> r.remove("a_psy"));
        assertEquals(file + ": key a_psy: missing", e.getMessage());
        e = loadFails(r -> r.addProperty("a_psy", "fast"));
        assertEquals(file + ": key a_psy: expected a number, was \"fast\"", e.getMessage());
        e = loadFails(r -> r.getAsJsonObject("sensor_map").getAsJsonObject("grow").addProperty("co2", "SCD30.co3_ppm"));
        assertTrue(e.getMessage().startsWith(file + ": key sensor_map.grow.co2: \"SCD30.co3_ppm\" is not a MESSAGE.signal"),
                e.getMessage());
        e = loadFails(r -> r.getAsJsonObject("sensors").getAsJsonObject("co2").addProperty("min", 20000));
        assertTrue(e.getMessage().startsWith(file + ": key sensors.co2: sensor co2_b: min must be <= max"), e.getMessage());
        e = loadFails(r -> r.addProperty("colour", "green"));
        assertTrue(e.getMessage().startsWith(file + ": key colour: unknown key"), e.getMessage());
        e = loadFails(r -> r.getAsJsonObject("station").addProperty("elevation_m", 300));
        assertTrue(e.getMessage().startsWith(file + ": key station: give exactly one of"), e.getMessage());
        e = loadFails(r -> r.getAsJsonObject("nodes").getAsJsonObject("2").addProperty("suffix", "_b"));
        assertTrue(e.getMessage().contains("produced twice"), e.getMessage());
        e = loadFails(r -> r.getAsJsonObject("calibration").add("co2_x", new JsonObject()));
        assertTrue(e.getMessage().startsWith(file + ": key calibration.co2_x: no such sensor"), e.getMessage());
    }

    @Test
    void rejectsInvalidJsonAndMissingFiles() throws IOException {
        Path json = dir.resolve("facility.json");
        Files.writeString(json, "{ \"a_psy\": ", StandardCharsets.UTF_8);
        ConfigException e = assertThrows(ConfigException.class, () -> FacilityProfile.load(json, ETC.resolve("cea.dbc")));
        assertTrue(e.getMessage().startsWith(json + ": not valid JSON"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> FacilityProfile.loadDefault(dir.resolve("nowhere")));
        assertTrue(e.getMessage().contains("cea.dbc: cannot read DBC file"), e.getMessage());
    }

    @Test
    void elevationGivesTheDefaultPressure() throws IOException {
        JsonObject root = JsonParser.parseString(Files.readString(ETC.resolve("facility.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
        JsonObject station = new JsonObject();
        station.addProperty("elevation_m", 1200);
        root.add("station", station);
        Path json = dir.resolve("facility.json");
        Files.writeString(json, root.toString(), StandardCharsets.UTF_8);
        // FAO-56 Example 4: 1200 m -> 87.9 kPa
        assertEquals(87.9, FacilityProfile.load(json, ETC.resolve("cea.dbc")).defaultPressureKpa(), 0.05);
    }
}
