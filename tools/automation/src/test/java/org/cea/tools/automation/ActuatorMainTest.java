package org.cea.tools.automation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** cea-actuator's usage errors: exit 2 with one message and the usage line, never a stack trace. */
class ActuatorMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ActuatorMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aCountThatIsNotANumberIsAUsageError() {
        assertEquals(2, run("--dry-run", "--count", "x"));
        assertTrue(err().startsWith("cea-actuator: "), err());
        assertTrue(err().contains("usage: cea-actuator --dry-run"), err());
        assertFalse(err().contains("\tat "), err());
    }

    @Test
    void aNegativeCountIsAUsageError() {
        assertEquals(2, run("--dry-run", "--count", "-1"));
        assertTrue(err().contains("--count must be 0 or more, was -1"), err());
    }

    @Test
    void withoutDryRunItRefusesToStart() {
        assertEquals(2, run("--count", "1"));
        assertTrue(err().contains("--dry-run is required"), err());
    }
}
