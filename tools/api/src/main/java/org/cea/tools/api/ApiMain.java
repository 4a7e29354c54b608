package org.cea.tools.api;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import joptsimple.OptionException;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import org.cea.candecode.CanDecodeException;
import org.cea.automation.AutomationConfig;
import org.cea.automation.AutomationConfigException;
import org.cea.automation.AutomationConfigParser;
import org.cea.candecode.facility.FacilityProfile;
import org.cea.redisio.RedisConfig;
import org.cea.tools.common.DbConfig;
import org.cea.tools.common.EnvNames;
import org.cea.tools.common.ProfileDir;
import org.cea.tools.common.ToolExit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code can-api}: REST + WebSocket + dashboard. Parses flags, loads the facility profile, runs
 * {@link ApiServer} until SIGTERM/SIGINT. Exit codes: 0 after a clean stop, 2 on bad flags, 1 on a
 * fatal error (one line on stderr says what to do).
 */
public final class ApiMain {
    private static final Logger LOG = LoggerFactory.getLogger(ApiMain.class);

    private ApiMain() {
    }

    /**
     * Entry point.
     *
     * @param args see {@code --help}
     */
    public static void main(String[] args) {
        ToolExit exit = ToolExit.install("can-api", 10_000);
        exit.exit(run(args, System.out, System.err, exit));
    }

    /** Runs in this JVM without a shutdown hook (tests). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, ToolExit.inProcess("can-api"));
    }

    static int run(String[] args, PrintStream out, PrintStream err, ToolExit exit) {
        Flags f = new Flags();
        Settings s;
        try {
            OptionSet o = f.parser.parse(args);
            if (o.has(f.help)) {
                usage(f.parser, out);
                return 0;
            }
            if (!o.nonOptionArguments().isEmpty()) {
                throw new IllegalArgumentException("unexpected argument: " + o.nonOptionArguments().get(0));
            }
            s = settings(f, o, System.getenv());
        } catch (OptionException | IllegalArgumentException e) {
            err.println("can-api: " + e.getMessage());
            usage(f.parser, err);
            return 2;
        }
        return serve(s.config(), s.automationJson(), err, exit);
    }

    /** The command line: the parser and its options, in {@code --help} order. */
    private static final class Flags {
        final OptionParser parser = new OptionParser();
        final OptionSpec<Void> help = parser.acceptsAll(List.of("h", "help"), "show this help").forHelp();
        final OptionSpec<Void> debug = parser.accepts("debug",
                "log at DEBUG: a fatal error with its stack trace (bin/ wrappers; or CEA_DEBUG=1)");
        final OptionSpec<String> listen = parser.accepts("listen", "HOST:PORT to bind (env API_LISTEN, default "
                + ApiConfig.DEFAULT_LISTEN + ")").withRequiredArg();
        final OptionSpec<String> redis = parser.accepts("redis-url", "live state (env REDIS_URL, default "
                + EnvNames.DEFAULT_REDIS_URL + ")").withRequiredArg();
        final OptionSpec<String> db = parser.accepts("db-url", "database, read-only role in production:"
                + " postgresql://user:pass@host:port/cea_sensors or jdbc:sqlite:PATH (env DB_URL_READER, else DB_URL)")
                .withRequiredArg();
        final OptionSpec<Path> facility = parser.accepts("facility",
                "facility profile JSON (default: $CEA_ETC or the install's etc/facility.json)")
                .withRequiredArg().withValuesConvertedBy(new PathConverter());
        final OptionSpec<Path> dbc = parser.accepts("dbc", "DBC file (default: beside --facility, cea.dbc)")
                .withRequiredArg().withValuesConvertedBy(new PathConverter());
        final OptionSpec<Path> automation = parser.accepts("automation", "automation.json for band rules, lights and time zone"
                + " (default: automation.json beside --facility, when it exists)")
                .withRequiredArg().withValuesConvertedBy(new PathConverter());
        final OptionSpec<String> allowedHosts = parser.accepts("allowed-hosts", "further host names the Host and Origin headers"
                + " may name, comma-separated (env API_ALLOWED_HOSTS; always allowed: localhost, 127.0.0.1, ::1 and the --listen"
                + " address); others get 421/403").withRequiredArg();
        final OptionSpec<Path> tokenFile = parser.accepts("token-file", "root-owned file (0600/0640) holding the token every"
                + " request must send as 'Authorization: Bearer TOKEN' (env API_TOKEN_FILE, or the token itself in API_TOKEN;"
                + " never on the command line); required when --listen is not a loopback address")
                .withRequiredArg().withValuesConvertedBy(new PathConverter());
        final OptionSpec<Void> allowNoToken = parser.accepts("allow-no-token",
                "listen on a non-loopback address without a token (env API_ALLOW_NO_TOKEN=1)");
        final OptionSpec<Integer> stale = parser.accepts("stale-after-ms", "a sensor without a reading for longer is stale")
                .withRequiredArg().ofType(Integer.class).defaultsTo(10_000);
    }

    /** What the flags resolve to: the server's configuration and the automation rules file (may not exist). */
    private record Settings(ApiConfig config, Path automationJson) {
    }

    /**
     * Resolves flags, environment and defaults.
     *
     * @throws IllegalArgumentException on a bad flag value (exit 2)
     */
    private static Settings settings(Flags f, OptionSet o, Map<String, String> env) {
        String dbUrl = DbConfig.reader("--db-url", o.valueOf(f.db), env, null).url();
        Path facilityJson = o.has(f.facility) ? o.valueOf(f.facility)
                : ProfileDir.locate(null, env, ApiMain.class).resolve(FacilityProfile.FACILITY_JSON);
        Path dbcFile = o.has(f.dbc) ? o.valueOf(f.dbc) : facilityJson.resolveSibling(FacilityProfile.DBC_FILE);
        Path automationJson = o.has(f.automation) ? o.valueOf(f.automation) : facilityJson.resolveSibling("automation.json");
        if (o.has(f.automation) && !Files.isRegularFile(automationJson)) {
            throw new IllegalArgumentException("--automation " + automationJson + ": no such file");
        }
        Object[] hp = ApiConfig.parseListen(EnvNames.pick(o.valueOf(f.listen), env, ApiConfig.DEFAULT_LISTEN, "API_LISTEN"));
        String tokenPath = o.has(f.tokenFile) ? o.valueOf(f.tokenFile).toString() : EnvNames.first(env, null, "API_TOKEN_FILE");
        ApiAccess access = ApiAccess.resolve((String) hp[0], EnvNames.pick(o.valueOf(f.allowedHosts), env, null,
                "API_ALLOWED_HOSTS"), EnvNames.first(env, null, "API_TOKEN"), tokenPath == null ? null : Path.of(tokenPath),
                o.has(f.allowNoToken) || "1".equals(EnvNames.first(env, "0", "API_ALLOW_NO_TOKEN")));
        ApiConfig cfg = new ApiConfig((String) hp[0], (Integer) hp[1], RedisConfig.fromUrl(EnvNames.redisUrl(o.valueOf(f.redis), env))
                .withServiceUser("api", env), dbUrl, facilityJson, dbcFile,
                Duration.ofMillis(o.valueOf(f.stale)), access);
        return new Settings(cfg, automationJson);
    }

    private static int serve(ApiConfig cfg, Path automationJson, PrintStream err, ToolExit exit) {
        SensorCatalog catalog;
        FacilityProfile profile;
        try {
            profile = FacilityProfile.load(cfg.facilityJson(), cfg.dbcFile());
        } catch (CanDecodeException | IllegalArgumentException e) {
            err.println("can-api: cannot load the facility profile: " + e.getMessage()
                    + " (fix the file or point --facility/--dbc at the right ones)");
            return 1;
        }
        try {
            AutomationConfig rules = Files.isRegularFile(automationJson)
                    ? AutomationConfigParser.parse(automationJson, profile) : null;
            catalog = Catalogs.fromProfile(profile, rules);
        } catch (AutomationConfigException e) {
            err.println("can-api: cannot load the automation rules: " + e.getMessage()
                    + " (fix the file or point --automation at the right one)");
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        ApiServer server;
        try {
            server = ApiServer.start(cfg, catalog, Clock.systemUTC());
        } catch (RuntimeException e) {
            err.println("can-api: cannot start: " + e.getMessage() + " (is another process using " + cfg.host() + ":"
                    + cfg.port() + "? use --listen)");
            return 1;
        }
        exit.onSignal(stopped::countDown);
        err.println("can-api: dashboard at " + server.uri());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        LOG.info("can-api stopped");
        return 0;
    }

    private static void usage(OptionParser p, PrintStream s) {
        s.println("usage: can-api [--listen HOST:PORT] [--redis-url URL] --db-url URL [--facility FILE] [--dbc FILE] [--automation FILE]");
        s.println("              [--allowed-hosts NAMES] [--token-file FILE | env API_TOKEN] [--allow-no-token]");
        s.println("Serves /api/*, /ws/live, /metrics and the dashboard at /. See docs/API.md.");
        try {
            p.printHelpOn(s);
        } catch (IOException e) {
            s.println("(cannot print the option list: " + e.getMessage() + ")");
        }
    }

    /** jopt-simple converter for paths. */
    private static final class PathConverter implements joptsimple.ValueConverter<Path> {
        @Override
        public Path convert(String value) {
            return Path.of(value);
        }

        @Override
        public Class<? extends Path> valueType() {
            return Path.class;
        }

        @Override
        public String valuePattern() {
            return "PATH";
        }
    }
}
