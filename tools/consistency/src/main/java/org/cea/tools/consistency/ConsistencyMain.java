package org.cea.tools.consistency;

import java.time.ZoneId;
import java.util.Map;

/**
 * {@code can-consistency}: compares the scanner's legacy SQLite {@code can_messages} with the
 * worker's database minute by minute (docs/MIGRATION.md, "Parallel run and cutover"). Read-only
 * on both; nothing to flush, so no shutdown hook: SIGTERM simply ends the run unrecorded.
 */
public final class ConsistencyMain {
    private ConsistencyMain() {
    }

    /**
     * Runs the tool and exits with its status: 0 every closed minute equal, 1 a minute differs, 2 bad
     * flags, 3 the comparison could not run.
     *
     * @param args command-line flags
     */
    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            // before the first logger exists: lifecycle lines would only clutter cron mail; warnings stay
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Map<String, String> env = System.getenv();
        // bin/can-consistency says whether stderr (where the bar goes) is a terminal
        String tty = env.get("CAN_CONSISTENCY_TTY");
        boolean terminal = (tty != null ? tty.equals("1") : System.console() != null) && !"dumb".equals(env.get("TERM"));
        System.exit(new ConsistencyCli(System::currentTimeMillis, System::nanoTime, ZoneId.systemDefault())
                .run(args, System.out, System.err, env, terminal));
    }
}
