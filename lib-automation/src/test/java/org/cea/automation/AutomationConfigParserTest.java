package org.cea.automation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cea.candecode.facility.FacilityProfile;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;

/** automation.json: resolution against the facility profile, and errors that name the file, the JSON path and what is allowed. */
class AutomationConfigParserTest {
    static final FacilityProfile PROFILE = FacilityProfile.loadDefault(TestServers.projectRoot().resolve("etc"));
    static final Path FILE = Path.of("/etc/cea/automation.json");

    static AutomationConfig parse(String json) {
        return AutomationConfigParser.parse(FILE, json, PROFILE);
    }

    private static void fails(String json, String... fragments) {
        AutomationConfigException e = assertThrows(AutomationConfigException.class, () -> parse(json));
        assertTrue(e.getMessage().startsWith(FILE + ": "), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
        }
    }

    @Test
    void theShippedConfigurationIsValid() {
        AutomationConfig c = AutomationConfigParser.parse(TestServers.projectRoot().resolve("etc/automation.json"), PROFILE);
        assertEquals(15, c.rules().size());
        Rule.Band vpd = (Rule.Band) c.rule("vpd_day");
        assertEquals(List.of("vpd_b", "vpd_f", "vpd_v"), vpd.targets().stream().map(Rule.Target::sensor).toList());
        assertEquals(List.of("flower_back", "flower_front", "veg"), vpd.targets().stream().map(Rule.Target::subject).toList());
        assertEquals(Duration.ofMinutes(5), vpd.holdFor());
        assertEquals(Duration.ofHours(4), vpd.reminder());
        assertEquals(Rule.Schedule.DAY, vpd.schedule());
        Rule.SilentNode silent = (Rule.SilentNode) c.rule("silent_node");
        assertEquals(List.of(1, 2, 3, 4), silent.nodes().stream().map(Rule.Target::node).toList());
        AutomationConfig.Notifier desktop = c.notifiers().get(0);
        assertEquals(TestServers.projectRoot().resolve("bin/cea-alert-window").toString(), desktop.command().argv().get(0));
    }

    @Test
    void baseNamesGiveOneTargetPerRoomAndANameOneSensor() {
        AutomationConfig c = parse("{\"rules\":[{\"name\":\"co2\",\"kind\":\"band\",\"sensor\":\"co2\",\"max\":1500},"
                + "{\"name\":\"co2v\",\"kind\":\"band\",\"sensor\":\"co2_v\",\"max\":1500},"
                + "{\"name\":\"lab\",\"kind\":\"stale\",\"rooms\":[\"lab\"]}]}");
        assertEquals(List.of("co2_b", "co2_f", "co2_v"), ((Rule.Band) c.rule("co2")).targets().stream()
                .map(Rule.Target::sensor).toList());
        assertEquals(List.of("co2_v"), ((Rule.Band) c.rule("co2v")).targets().stream().map(Rule.Target::subject).toList());
        assertEquals(List.of("lab_temp", "water_temp", "water_level"), ((Rule.Stale) c.rule("lab")).targets().stream()
                .map(Rule.Target::sensor).sorted(java.util.Comparator.comparing(List.of("lab_temp", "water_temp",
                        "water_level")::indexOf)).toList());
        assertEquals(java.time.ZoneId.systemDefault(), c.zone());
    }

    @Test
    void errorsNameTheFileThePathAndWhatIsAllowed() {
        fails("{\"rules\":[{\"name\":\"x\",\"kind\":\"band\",\"sensor\":\"co2\"}]}", "rules[0]", "min, max or both");
        fails("{\"rules\":[{\"name\":\"x\",\"kind\":\"band\",\"sensor\":\"co3\",\"max\":1}]}", "rules[0].sensor",
                "'co3' is neither a sensor nor a base name", "co2_b");
        fails("{\"rules\":[{\"name\":\"x\",\"kind\":\"band\",\"sensor\":\"co2\",\"max\":1,\"mx\":2}]}", "rules[0].mx",
                "unknown key", "hysteresis");
        fails("{\"rules\":[{\"name\":\"x\",\"kind\":\"bnd\"}]}", "rules[0].kind", "band, stale, silent_node");
        fails("{\"rules\":[{\"name\":\"x\",\"kind\":\"band\",\"sensor\":\"co2\",\"min\":5,\"max\":1}]}", "rules[0].min",
                "must be below max");
        fails("{\"rules\":[{\"name\":\"x\",\"kind\":\"band\",\"sensor\":\"co2\",\"min\":0,\"max\":10,\"hysteresis\":5}]}",
                "rules[0].hysteresis", "below half the band");
        fails("{\"rules\":[{\"name\":\"x\",\"kind\":\"band\",\"sensor\":\"vpd\",\"max\":1.6,\"schedule\":\"day\"}]}",
                "rules[0].schedule", "lights_on/lights_off", "flower_back");
        fails("{\"rules\":[{\"name\":\"x\",\"kind\":\"stale\",\"after_s\":0}]}", "rules[0].after_s", "1.0..86400.0", "was 0.0");
        fails("{\"rules\":[{\"name\":\"x\",\"kind\":\"stale\"},{\"name\":\"x\",\"kind\":\"stale\"}]}", "rules[1].name",
                "unique");
        fails("{\"rules\":[{\"name\":\"x\",\"kind\":\"pipeline\",\"check\":\"lag\"}]}", "rules[0].check", "worker_lag");
        fails("{\"rules\":[{\"name\":\"x\",\"kind\":\"silent_node\",\"nodes\":[9]}]}", "rules[0].nodes", "no node [9]");
        fails("{\"rooms\":{\"attic\":{\"lights_on\":\"06:00\",\"lights_off\":\"18:00\"}}}", "rooms.attic", "no room 'attic'",
                "flower_back");
        fails("{\"rooms\":{\"veg\":{\"lights_on\":\"6am\",\"lights_off\":\"18:00\"}}}", "rooms.veg.lights_on", "HH:MM");
        fails("{\"time_zone\":\"Mars/Olympus\"}", "time_zone", "Europe/Amsterdam");
        fails("{\"notifiers\":[{\"type\":\"pager\"}]}", "notifiers[0].type", "webhook, smtp or command");
        fails("{\"notifiers\":[{\"type\":\"webhook\",\"url\":\"ftp://x\"}]}", "notifiers[0].url", "http:// or https://");
        fails("{\"notifiers\":[{\"type\":\"webhook\",\"url\":\"http://x\",\"on\":[\"pending\"]}]}", "notifiers[0].on",
                "firing, resolved");
        fails("{\"notifiers\":[{\"type\":\"smtp\",\"host\":\"h\",\"from\":\"a@b\",\"to\":[\"nobody\"]}]}", "notifiers[0].to",
                "not an e-mail address");
        fails("{\"actuators\":{\"fan\":{}},\"rules\":[{\"name\":\"x\",\"kind\":\"band\",\"sensor\":\"co2\",\"max\":1,"
                + "\"command\":{\"actuator\":\"pump\",\"on_fire\":\"on\"}}]}", "rules[0].command.actuator", "not configured",
                "fan");
        fails("[1]", "$", "JSON object");
        fails("{\"rules\":[", "not valid JSON");
    }
}
