package org.cea.automation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.cea.redisio.ActuatorCommands;
import org.cea.redisio.LiveValue;
import org.junit.jupiter.api.Test;

/** Interlocks: minimum on/off time, commands per minute, and nothing while an input is stale. */
class ActuatorControllerTest {
    static final long T0 = 1_800_000_000_000L;

    static ActuatorController controller() {
        return new ActuatorController(AutomationConfigParser.parse(AutomationConfigParserTest.FILE,
                "{\"actuators\":{\"fan_v\":{\"min_on_s\":60,\"min_off_s\":30,\"max_per_minute\":2,\"expires_s\":20}}}",
                AutomationConfigParserTest.PROFILE));
    }

    static CommandIntent intent(String cmd, long ts) {
        return new CommandIntent("fan_v", cmd, "", "co2_high", "CO2 high", List.of("co2_v"), ts);
    }

    static Map<String, LiveValue> fresh(long now) {
        return Map.of("co2_v", new LiveValue("co2_v", 1600, now - 500));
    }

    @Test
    void minimumOnTimeHoldsTheOffUntilItPassed() {
        ActuatorController c = controller();
        c.want(intent("on", T0));
        List<ActuatorCommands.Command> on = c.due(T0, fresh(T0));
        assertEquals(1, on.size());
        assertEquals(T0 + 20_000, on.get(0).expiresAt());
        c.want(intent("off", T0 + 10_000));
        assertEquals(0, c.due(T0 + 10_000, fresh(T0 + 10_000)).size(), "on for 10 s of the minimum 60");
        assertEquals(0, c.due(T0 + 59_999, fresh(T0 + 59_999)).size());
        assertEquals("off", c.due(T0 + 60_000, fresh(T0 + 60_000)).get(0).command());
        assertEquals(0, c.due(T0 + 61_000, fresh(T0 + 61_000)).size(), "issued once");
    }

    @Test
    void noCommandWhileAnInputIsStaleAndItGoesOutWhenFresh() {
        ActuatorController c = controller();
        c.want(intent("on", T0));
        Map<String, LiveValue> old = Map.of("co2_v", new LiveValue("co2_v", 1600, T0 - 10_001));
        assertEquals(0, c.due(T0, old).size());
        assertEquals(0, c.due(T0 + 1000, Map.of()).size());
        assertEquals(1, c.suppressedStale(), "counted once per intent");
        assertEquals(1, c.due(T0 + 2000, fresh(T0 + 2000)).size());
    }

    @Test
    void aRestartKeepsTheInterlocks() {
        ActuatorController c = controller();
        // issued before a restart: on at T0 - 10 s (newest first, as XREVRANGE returns them)
        c.restore(List.of(new ActuatorCommands.Command("9-0", "fan_v", "on", "", "", "co2_high", T0 - 10_000, T0 + 10_000)));
        c.want(intent("off", T0));
        assertEquals(0, c.due(T0, fresh(T0)).size(), "the on before the restart still counts for min_on");
        assertEquals(1, c.due(T0 + 50_000, fresh(T0 + 50_000)).size());
        c.want(intent("on", T0 + 60_000));
        assertEquals(0, c.due(T0 + 60_000, fresh(T0 + 60_000)).size(), "off at 50 s: min_off 30 s not passed");
        assertEquals(1, c.due(T0 + 80_000, fresh(T0 + 80_000)).size());
    }

    @Test
    void atMostNCommandsInAnySixtySeconds() {
        ActuatorController c = new ActuatorController(AutomationConfigParser.parse(AutomationConfigParserTest.FILE,
                "{\"actuators\":{\"fan_v\":{\"max_per_minute\":2}}}", AutomationConfigParserTest.PROFILE));
        c.want(intent("on", T0));
        assertEquals(1, c.due(T0, fresh(T0)).size());
        c.want(intent("off", T0 + 1000));
        assertEquals(1, c.due(T0 + 1000, fresh(T0 + 1000)).size());
        c.want(intent("on", T0 + 2000));
        assertEquals(0, c.due(T0 + 2000, fresh(T0 + 2000)).size(), "a third within 60 s");
        assertEquals(0, c.due(T0 + 59_999, fresh(T0 + 59_999)).size());
        assertEquals(1, c.due(T0 + 60_000, fresh(T0 + 60_000)).size(), "the first one left the window");
    }
}
