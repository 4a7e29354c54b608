package org.cea.automation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.cea.redisio.Alert;
import org.cea.redisio.AlertEvents;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desktop path: the command notifier runs the real {@code bin/cea-alert-window}, which hands
 * the alert to the failure handler's desktop watcher (a record file in {@code $CEA_RUN_DIR/failures}
 * while a watcher's heartbeat is fresh), as the watcher then opens its terminal window.
 */
class CommandNotifierTest {
    static AlertEvents.Event event() {
        Alert a = new Alert("silent_node:veg", "silent_node", "silent_node", "critical", "firing", "veg", null, 3, null, 20.0,
                "Node 3 (veg) sent no frame at all since 12:00:00: check its power and CAN cable.", 1_000, 21_000L, null, null,
                null, 21_000, null);
        return new AlertEvents.Event("1795000000000-0", "firing", 21_000, a, Set.of());
    }

    static Notifier notifier(String... argv) {
        AutomationConfig c = AutomationConfigParser.parse(Path.of("/x/etc/automation.json"),
                "{\"notifiers\":[{\"name\":\"desktop\",\"type\":\"command\",\"argv\":[\"" + String.join("\",\"", argv) + "\"],"
                        + "\"timeout_s\":20}]}", AutomationConfigParserTest.PROFILE);
        return Notifier.create(c.notifiers().get(0), System::getenv);
    }

    @Test
    void theAlertReachesTheDesktopWatchersRecordsWithTitleAndText(@TempDir Path run) throws Exception {
        Path script = TestServers.projectRoot().resolve("bin/cea-alert-window");
        Path failures = Files.createDirectories(run.resolve("failures"));
        Path beats = Files.createDirectories(run.resolve("desktop"));
        long uid = (Integer) Files.getAttribute(run, "unix:uid");
        Files.writeString(beats.resolve(Long.toString(uid)), "");
        Notifier n = notifier("env", "CEA_RUN_DIR=" + run, script.toString());
        n.send(new Notification(event(), ZoneOffset.UTC));
        List<Path> records;
        try (Stream<Path> s = Files.list(failures)) {
            records = s.filter(p -> p.getFileName().toString().endsWith(".txt")).toList();
        }
        assertEquals(1, records.size(), "one record for the watcher");
        String text = Files.readString(records.get(0));
        assertTrue(text.startsWith("CEA alert: [CEA] FIRING critical: silent_node:veg\n"), text);
        assertTrue(text.contains("Node 3 (veg) sent no frame at all"), text);
        assertTrue(text.contains("event:     1795000000000-0"), text);
        try (Stream<Path> s = Files.list(failures)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(".")), "no half-written temporary file left");
        }
    }

    @Test
    void aFailingProgramIsAFailedDeliveryNamingItsExit() {
        NotifyException e = assertThrows(NotifyException.class,
                () -> notifier("sh", "-c", "echo no display >&2; exit 4").send(new Notification(event(), ZoneOffset.UTC)));
        assertTrue(e.getMessage().contains("exited 4") && e.getMessage().contains("no display"), e.getMessage());
        assertTrue(e.retryable());
    }
}
