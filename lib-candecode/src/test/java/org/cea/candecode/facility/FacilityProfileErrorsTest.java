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
    void displayNamesAndPrecisionAreOptionalAndChecked() throws IOException {
        FacilityProfile p = FacilityProfile.loadDefault(ETC);
        // etc/facility.json: sensors.co2 {"label": "CO₂", "precision": 0}, nodes.3 {"label": "Veg room"}
        assertEquals(new SensorDisplay("CO₂", 0), p.display("co2_v"));
        assertEquals(new SensorDisplay("VPD", 2), p.display("vpd_b"));
        assertEquals("Veg room", p.roomLabel("veg"));
        assertEquals(812.0, p.display("co2_v").round(811.5));
        assertEquals(59.6, p.display("rh_b").round(59.5994100647309));
        assertEquals(-0.25, new SensorDisplay("x", 2).round(-0.245));
        String file = dir.resolve("facility.json").toString();
        ConfigException e = loadFails(r -> r.getAsJsonObject("sensors").getAsJsonObject("co2").addProperty("precision", 1.5));
        assertEquals(file + ": key sensors.co2.precision: decimals must be a whole number 0..6, was 1.5", e.getMessage());
        e = loadFails(r -> r.getAsJsonObject("sensors").getAsJsonObject("co2").addProperty("precision", 7));
        assertTrue(e.getMessage().contains("sensors.co2.precision: decimals must be a whole number 0..6, was 7"), e.getMessage());
        e = loadFails(r -> r.getAsJsonObject("sensors").getAsJsonObject("co2").addProperty("label", ""));
        assertTrue(e.getMessage().contains("key sensors.co2.label: a display name must be 1..64 characters"), e.getMessage());
        e = loadFails(r -> r.getAsJsonObject("nodes").getAsJsonObject("1").addProperty("label", 3));
        assertTrue(e.getMessage().contains("key nodes.1.label: expected a string"), e.getMessage());
        // without the optional keys: the sensor name, 2 decimals, the room name with spaces
        Path json = dir.resolve("plain.json");
        JsonObject root = JsonParser.parseString(Files.readString(ETC.resolve("facility.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
        root.getAsJsonObject("sensors").getAsJsonObject("co2").remove("label");
        root.getAsJsonObject("sensors").getAsJsonObject("co2").remove("precision");
        root.getAsJsonObject("nodes").getAsJsonObject("1").remove("label");
        Files.writeString(json, root.toString(), StandardCharsets.UTF_8);
        FacilityProfile plain = FacilityProfile.load(json, ETC.resolve("cea.dbc"));
        assertEquals(new SensorDisplay("co2_b", 2), plain.display("co2_b"));
        assertEquals("flower back", plain.roomLabel("flower_back"));
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
