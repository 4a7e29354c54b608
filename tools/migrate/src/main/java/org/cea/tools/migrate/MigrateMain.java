package org.cea.tools.migrate;

import java.util.Map;

/**
 * {@code can-migrate}: legacy SQLite {@code can_messages} to TimescaleDB, verified. See
 * {@code docs/MIGRATION.md} and {@code can-migrate --help}.
 */
public final class MigrateMain {
    private MigrateMain() {
    }

    /**
     * Runs the tool and exits with its status (0 verified, 1 failed or different, 2 bad flags).
     *
     * @param args command-line flags
     */
    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        // bin/can-migrate says whether stderr (where the bar goes) is a terminal; without it, the console
        String tty = env.get("CAN_MIGRATE_TTY");
        boolean terminal = (tty != null ? tty.equals("1") : System.console() != null) && !"dumb".equals(env.get("TERM"));
        System.exit(new MigrateCli().run(args, System.out, System.err, env, terminal));
    }
}
