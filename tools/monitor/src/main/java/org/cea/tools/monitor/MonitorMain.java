package org.cea.tools.monitor;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import joptsimple.OptionException;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import org.cea.candecode.CanDecodeException;
import org.cea.candecode.facility.FacilityProfile;
import org.cea.candecode.facility.SensorSpec;
import org.cea.redisio.RedisConfig;
import org.cea.tools.common.DbConfig;
import org.cea.tools.common.EnvNames;
import org.cea.tools.common.ProfileDir;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * {@code can-monitor db|redis}: the terminal monitors. {@code db} tails the database (newest
 * messages, counts per type, write rate); {@code redis} shows {@code worker:status}, the stream
 * lengths, every live sensor and the newest service failures; both show the parallel run's last
 * comparison ({@code consistency:status}) after their status lines. Full screen (JLine) when stdout is a
 * terminal, else (or with {@code --once}) one plain-text snapshot. Exit 0 normally, 3 when a
 * snapshot says the database or Redis is DOWN (so {@code --once} serves as a health check), 2 on bad
 * flags, 1 on a fatal error.
 */
public final class MonitorMain {
    private static final String USAGE = "usage: can-monitor db [--db-url URL] [--redis-url URL] [--limit N] [--interval S] [--once]\n"
            + "       can-monitor redis [--redis-url URL] [--failures N] [--etc DIR] [--interval S] [--once]\n"
            + "       (bin/monitor_can_db.sh and bin/monitor_redis_backend.sh; each takes --help)";

    private MonitorMain() {
    }

    /** Entry point. */
    public static void main(String[] args) {
        // exit explicitly: a terminal provider's helper thread must not keep the JVM alive after 'q'
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !List.of("db", "redis").contains(args[0])) {
            boolean help = args.length > 0 && List.of("-h", "--help", "help").contains(args[0]);
            (help ? out : err).println(args.length == 0 || help ? USAGE
                    : "can-monitor: unknown subcommand '" + args[0] + "' (db or redis)\n" + USAGE);
            return help ? 0 : 2;
        }
        boolean plain = Arrays.asList(args).contains("--once") || System.console() == null;
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            // before the first logger exists: log lines on stderr would tear the full-screen display
            // (the screen shows every error anyway); a snapshot keeps the warnings
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", plain ? "warn" : "off");
        }
        boolean db = args[0].equals("db");
        Flags flags = db ? new DbFlags() : new RedisFlags();
        OptionSet o;
        try {
            o = flags.parser.parse(Arrays.copyOfRange(args, 1, args.length));
            if (o.has(flags.help)) {
                flags.usage(out);
                return 0;
            }
            flags.check(o);
        } catch (OptionException | IllegalArgumentException e) {
            err.println(flags.name + ": " + e.getMessage() + " (see --help)");
            return 2;
        }
        return flags.run(o, o.has(flags.once) || System.console() == null, out, err);
    }

    /** Exit status of a snapshot that shows the database or Redis DOWN. */
    static final int EXIT_DOWN = 3;

    /**
     * Shows one snapshot ({@link #EXIT_DOWN} when it is not {@code up}), or runs the full-screen
     * loop until the user quits.
     */
    static <S> int show(Supplier<S> collect, Function<S, List<String>> render, Predicate<S> up, boolean once,
                        Duration interval, String title, PrintStream out, PrintStream err) {
        if (once) {
            S snapshot = collect.get();
            render.apply(snapshot).forEach(out::println);
            out.flush();
            return up.test(snapshot) ? 0 : EXIT_DOWN;
        }
        try (Terminal terminal = TerminalBuilder.builder().system(true).name(title).build()) {
            new Tui(terminal, interval, () -> render.apply(collect.get()), title + " · refresh every "
                    + seconds(interval) + " s · q or Ctrl+C quits").run();
            return 0;
        } catch (IOException | UncheckedIOException e) {
            err.println(title + ": cannot use the terminal: " + Text.describe(e) + " (use --once)");
            return 1;
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? Long.toString(d.toSeconds()) : Text.rate(d.toMillis() / 1000.0);
    }

    /** Flags both monitors take. */
    private abstract static class Flags {
        final String name;
        final OptionParser parser = new OptionParser();
        final OptionSpec<Void> help = parser.acceptsAll(List.of("h", "help"), "show this help").forHelp();
        final OptionSpec<Void> debug = parser.accepts("debug", "log at DEBUG: a fatal error with its stack trace (bin/ wrappers; or CEA_DEBUG=1)");
        final OptionSpec<Void> once = parser.accepts("once",
                "print one plain-text snapshot and exit, with status 3 when it shows the database or Redis DOWN or"
                + " degraded (a stale sensor, a critical alert firing) (the default when stdout is not a terminal)");
        final OptionSpec<Double> interval = parser.accepts("interval", "refresh period, seconds (0.2..3600)")
                .withRequiredArg().ofType(Double.class).defaultsTo(2.0);
        final OptionSpec<String> redisUrl = parser.accepts("redis-url", "redis://[user:pass@]host:port[/db] "
                + "(env REDIS_URL, default redis://127.0.0.1:6379; make demo's Redis is redis://127.0.0.1:6390)")
                .withRequiredArg();

        Flags(String name) {
            this.name = name;
        }

        /** Validates what jopt-simple cannot. */
        void check(OptionSet o) {
            if (!o.nonOptionArguments().isEmpty()) {
                throw new IllegalArgumentException("unexpected argument '" + o.nonOptionArguments().get(0) + "'");
            }
            double s = o.valueOf(interval);
            if (!(s >= 0.2 && s <= 3600)) {
                throw new IllegalArgumentException("--interval must be 0.2..3600 seconds, was " + s);
            }
        }

        Duration interval(OptionSet o) {
            return Duration.ofMillis(Math.round(o.valueOf(interval) * 1000));
        }

        RedisConfig redisConfig(OptionSet o) {
            Map<String, String> env = System.getenv();
            return RedisConfig.fromUrl(EnvNames.redisUrl(o.valueOf(redisUrl), env)).withServiceUser("monitor", env)
                    .withSocketTimeoutMs(2_000);
        }

        abstract String synopsis();

        abstract int run(OptionSet o, boolean once, PrintStream out, PrintStream err);

        void usage(PrintStream out) {
            out.println(synopsis());
            try {
                parser.printHelpOn(out);
            } catch (IOException e) {
                out.println("(cannot print help: " + e.getMessage() + ")");
            }
        }
    }

    /** {@code can-monitor db}. */
    private static final class DbFlags extends Flags {
        final OptionSpec<String> dbUrl = parser.accepts("db-url", "database: jdbc:sqlite:PATH, a file path, "
                + "postgresql://user:pass@host:port/db (env DB_URL; default the demo's SQLite file "
                + defaultDbUrl() + ")").withRequiredArg();
        final OptionSpec<Integer> limit = parser.accepts("limit", "newest messages shown, 1..1000")
                .withRequiredArg().ofType(Integer.class).defaultsTo(20);

        DbFlags() {
            super("monitor_can_db");
        }

        @Override
        String synopsis() {
            return "usage: monitor_can_db.sh [--db-url URL] [--redis-url URL] [--limit N] [--interval S] [--once]\n"
                    + "Database tail: newest decoded messages, messages per type over the last minute and hour,\n"
                    + "rows/s written and the backend; the parallel run's last comparison (consistency:status in\n"
                    + "Redis, from bin/can-consistency). q or Ctrl+C quits.";
        }

        @Override
        void check(OptionSet o) {
            super.check(o);
            int n = o.valueOf(limit);
            if (n < 1 || n > 1000) {
                throw new IllegalArgumentException("--limit must be 1..1000, was " + n);
            }
            DbCollector.checkUrl(url(o));
            redisConfig(o);
        }

        String url(OptionSet o) {
            DbConfig db = DbConfig.optionalWriter("--db-url", o.valueOf(dbUrl), System.getenv());
            return db == null ? defaultDbUrl() : db.url();
        }

        @Override
        int run(OptionSet o, boolean once, PrintStream out, PrintStream err) {
            ZoneId zone = ZoneId.systemDefault();
            try (DbCollector c = new DbCollector(url(o), o.valueOf(limit), System::currentTimeMillis, System::nanoTime);
                 ParallelCollector p = new ParallelCollector(redisConfig(o))) {
                return show(() -> new Screen<>(c.collect(), p.collect()),
                        s -> s.render(DbView.render(s.main(), zone), s.main().takenAtMillis(), zone),
                        s -> s.main().healthy(), once, interval(o), name, out, err);
            }
        }
    }

    /** {@code can-monitor redis}. */
    private static final class RedisFlags extends Flags {
        final OptionSpec<Integer> failures = parser.accepts("failures", "newest service:failures entries shown, 0..100")
                .withRequiredArg().ofType(Integer.class).defaultsTo(5);
        final OptionSpec<String> etc = parser.accepts("etc", "directory of facility.json and cea.dbc "
                + "(default $CEA_ETC, else the etc/ of the checkout or install)").withRequiredArg();

        RedisFlags() {
            super("monitor_redis_backend");
        }

        @Override
        String synopsis() {
            return "usage: monitor_redis_backend.sh [--redis-url URL] [--failures N] [--etc DIR] [--interval S] [--once]\n"
                    + "Redis + backend status: worker:status (STALE after 30 s), can:raw and can:dead lengths, every\n"
                    + "live sensor (stale after 10 s without a reading), newest service:failures, the parallel run's\n"
                    + "last comparison (consistency:status, from bin/can-consistency). q or Ctrl+C quits.\n"
                    + "For make demo: --redis-url redis://127.0.0.1:6390 (or its CEA_DEMO_REDIS_PORT), with the\n"
                    + "passwords of var/demo.env in the environment (user cea-monitor, REDIS_MONITOR_PASSWORD).";
        }

        @Override
        void check(OptionSet o) {
            super.check(o);
            int n = o.valueOf(failures);
            if (n < 0 || n > 100) {
                throw new IllegalArgumentException("--failures must be 0..100, was " + n);
            }
            redisConfig(o);
        }

        @Override
        int run(OptionSet o, boolean once, PrintStream out, PrintStream err) {
            Path dir = ProfileDir.locate(o.valueOf(etc), System.getenv(), MonitorMain.class);
            List<SensorSpec> sensors;
            try {
                sensors = FacilityProfile.loadDefault(dir).sensors();
            } catch (CanDecodeException | UncheckedIOException e) {
                err.println(name + ": cannot load the facility profile from " + dir + ": " + Text.describe(e)
                        + " (fix the file, or pass --etc / set CEA_ETC)");
                return 1;
            }
            ZoneId zone = ZoneId.systemDefault();
            try (RedisCollector c = new RedisCollector(redisConfig(o), sensors, o.valueOf(failures),
                    System::currentTimeMillis); ParallelCollector p = new ParallelCollector(redisConfig(o))) {
                return show(() -> new Screen<>(c.collect(), p.collect()),
                        s -> s.render(RedisView.render(s.main(), zone), s.main().takenAtMillis(), zone),
                        s -> s.main().healthy(), once, interval(o), name, out, err);
            }
        }
    }

    /**
     * A monitor's snapshot with the parallel-run state read beside it; only the snapshot decides
     * the exit status (Redis being unreachable does not make the database monitor DOWN).
     */
    private record Screen<S>(S main, ParallelState parallel) {
        List<String> render(List<String> screen, long now, ZoneId zone) {
            return ParallelView.insert(screen, ParallelView.render(parallel, now, zone));
        }
    }

    /** The SQLite file {@code make demo}'s worker writes: {@code var/cea.db} beside {@code etc/}. */
    static String defaultDbUrl() {
        Path etc = ProfileDir.locate(null, System.getenv(), MonitorMain.class).toAbsolutePath().normalize();
        Path root = etc.getParent() != null ? etc.getParent() : etc;
        return "jdbc:sqlite:" + root.resolve("var").resolve("cea.db");
    }
}
