package org.cea.tools.automation;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import joptsimple.OptionException;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import org.cea.automation.AutomationConfig;
import org.cea.automation.AutomationConfigException;
import org.cea.automation.AutomationConfigParser;
import org.cea.automation.Notifier;
import org.cea.candecode.CanDecodeException;
import org.cea.candecode.facility.FacilityProfile;
import org.cea.redisio.ConsumerConfig;
import org.cea.redisio.RedisConfig;
import org.cea.tools.common.DbConfig;
import org.cea.tools.common.EnvNames;
import org.cea.tools.common.ProfileDir;
import org.cea.tools.common.ToolExit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cea-automation}: alerts, notifications and actuator commands from {@code etc/automation.json}
 * (see {@code --help}); {@code cea-automation actuator ...} is {@code cea-actuator}. Exit 0 after a
 * clean stop (SIGTERM), 2 on bad flags, 1 on a fatal error (a bad configuration names the file,
 * JSON path and what is allowed).
 */
public final class AutomationMain {
    private static final Logger LOG = LoggerFactory.getLogger(AutomationMain.class);
    static final String USAGE = "usage: cea-automation [--config FILE] [--redis-url URL] [--db-url URL] [--metrics-listen HOST:PORT|off]"
            + " [--facility FILE] [--dbc FILE] [--consumer NAME] [--check]\n"
            + "Evaluates the rules of etc/automation.json over live state, can:raw and the pipeline; records alerts in Redis\n"
            + "(alerts:active, alerts:events) and the database (alert_events), notifies (webhook, SMTP, command) and publishes\n"
            + "actuators:commands. Credentials only from the environment (see the notifiers' *_env keys).";

    private AutomationMain() {
    }

    /** Entry point. */
    public static void main(String[] args) {
        if (args.length > 0 && "actuator".equals(args[0])) {
            ToolExit exit = ToolExit.install("cea-actuator", 5_000);
            exit.exit(ActuatorMain.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err, exit));
            return;
        }
        ToolExit exit = ToolExit.install("cea-automation", 10_000);
        exit.exit(run(args, System.out, System.err, exit));
    }

    /** Runs in this JVM without a shutdown hook (tests). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, ToolExit.inProcess("cea-automation"));
    }

    static int run(String[] args, PrintStream out, PrintStream err, ToolExit exit) {
        Flags f = new Flags();
        AutomationSettings s;
        boolean checkOnly;
        try {
            OptionSet o = f.parser.parse(args);
            if (o.has(f.help)) {
                usage(f.parser, out);
                return 0;
            }
            if (!o.nonOptionArguments().isEmpty()) {
                throw new IllegalArgumentException("unexpected argument '" + o.nonOptionArguments().get(0) + "'");
            }
            checkOnly = o.has(f.check);
            s = settings(f, o, err);
            if (s == null) {
                return 1;
            }
        } catch (OptionException | IllegalArgumentException e) {
            err.println("cea-automation: " + e.getMessage());
            usage(f.parser, err);
            return 2;
        }
        List<Notifier> notifiers = notifiers(s.config(), err);
        if (notifiers == null) {
            return 1;
        }
        if (checkOnly) {
            out.println("cea-automation: " + s.config().source() + " is valid: " + s.config().rules().size() + " rules, "
                    + notifiers.size() + " notifiers");
            notifiers.forEach(Notifier::close);
            return 0;
        }
        return serve(s, notifiers, err, exit);
    }

    /** The command line: the parser and its options, in {@code --help} order. */
    private static final class Flags {
        final OptionParser parser = new OptionParser();
        final OptionSpec<Void> help = parser.acceptsAll(List.of("h", "help"), "show this help").forHelp();
        final OptionSpec<?> debug = parser.accepts("debug",
                "log at DEBUG: a fatal error with its stack trace (bin/ wrappers; or CEA_DEBUG=1)");
        final OptionSpec<String> config = parser.accepts("config",
                "rules and notifiers (env CEA_AUTOMATION_CONFIG; default <etc>/automation.json)").withRequiredArg();
        final OptionSpec<String> redis = parser.accepts("redis-url",
                "redis://[user:pass@]host:port[/db] (env REDIS_URL, default redis://127.0.0.1:6379)").withRequiredArg();
        final OptionSpec<String> db = parser.accepts("db-url", "database for the alert history, cea_writer role (env DB_URL; none:"
                + " history only in the alerts:events stream)").withRequiredArg();
        final OptionSpec<String> metrics = parser.accepts("metrics-listen",
                "Prometheus /metrics address, or off (env AUTOMATION_METRICS_LISTEN)").withRequiredArg();
        final OptionSpec<String> facility = parser.accepts("facility", "facility.json (default <etc>/facility.json)").withRequiredArg();
        final OptionSpec<String> dbc = parser.accepts("dbc", "DBC file (default beside --facility)").withRequiredArg();
        final OptionSpec<String> consumer = parser.accepts("consumer", "consumer name in the stream groups (default host-pid)")
                .withRequiredArg();
        final OptionSpec<Void> check = parser.accepts("check", "validate the configuration and the notifiers' environment, then exit");
    }

    /**
     * Resolves flags, environment and defaults and loads the facility profile and the rules.
     *
     * @return the settings, or null after printing why the profile or the rules cannot be loaded (exit 1)
     * @throws IllegalArgumentException on a bad flag value (exit 2)
     */
    private static AutomationSettings settings(Flags f, OptionSet o, PrintStream err) {
        Map<String, String> env = System.getenv();
        RedisConfig rc = RedisConfig.fromUrl(EnvNames.redisUrl(o.valueOf(f.redis), env))
                .withServiceUser("automation", env).withSocketTimeoutMs(3_000);
        String metricsAt = EnvNames.pick(o.valueOf(f.metrics), env, "127.0.0.1:9310", "AUTOMATION_METRICS_LISTEN");
        Path etc = ProfileDir.locate(null, env, AutomationMain.class);
        Path facilityJson = o.has(f.facility) ? Path.of(o.valueOf(f.facility)) : etc.resolve(FacilityProfile.FACILITY_JSON);
        Path dbcFile = o.has(f.dbc) ? Path.of(o.valueOf(f.dbc)) : facilityJson.resolveSibling(FacilityProfile.DBC_FILE);
        Path cfg = Path.of(EnvNames.pick(o.valueOf(f.config), env, etc.resolve("automation.json").toString(),
                "CEA_AUTOMATION_CONFIG"));
        DbConfig history = DbConfig.optionalWriter("--db-url", o.valueOf(f.db), env);
        String dbUrl = history == null ? null : history.url();
        String name = o.has(f.consumer) ? o.valueOf(f.consumer) : ConsumerConfig.defaultConsumerName();
        FacilityProfile profile = profile(facilityJson, dbcFile, err);
        if (profile == null) {
            return null;
        }
        AutomationConfig ac;
        try {
            ac = AutomationConfigParser.parse(cfg, profile);
        } catch (AutomationConfigException e) {
            err.println("cea-automation: " + e.getMessage());
            return null;
        }
        return new AutomationSettings(ac, profile, rc, dbUrl, "off".equals(metricsAt) ? null : listen(metricsAt), name);
    }

    /** The configured notifiers, or null (all closed) after printing which credential is missing. */
    private static List<Notifier> notifiers(AutomationConfig config, PrintStream err) {
        List<Notifier> notifiers = new ArrayList<>();
        try {
            for (AutomationConfig.Notifier n : config.notifiers()) {
                notifiers.add(Notifier.create(n, System::getenv));
            }
        } catch (AutomationConfigException e) {
            err.println("cea-automation: " + config.source() + ": " + e.getMessage() + " (set it in /etc/cea/cea.env)");
            notifiers.forEach(Notifier::close);
            return null;
        }
        return notifiers;
    }

    private static int serve(AutomationSettings s, List<Notifier> notifiers, PrintStream err, ToolExit exit) {
        AutomationService service = new AutomationService(s, notifiers);
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            service.start();
        } catch (IOException | UncheckedIOException e) {
            err.println("cea-automation: cannot open the metrics endpoint " + s.metrics() + ": " + e.getMessage()
                    + " (use --metrics-listen HOST:PORT or off)");
            service.close();
            return 1;
        }
        exit.onSignal(() -> {
            stopping.set(true);
            stopped.countDown();
        });
        while (service.running() && !stopping.get()) {
            try {
                stopped.await(500, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        service.close();
        if (!stopping.get()) {
            return exit.fatal(err, "a thread failed (see the log above); exiting for a restart", null);
        }
        return 0;
    }

    private static FacilityProfile profile(Path json, Path dbc, PrintStream err) {
        try {
            return FacilityProfile.load(json, dbc);
        } catch (CanDecodeException | UncheckedIOException e) {
            err.println("cea-automation: cannot load the facility profile: " + e.getMessage() + " (fix it or pass --facility/--dbc)");
            return null;
        }
    }

    static InetSocketAddress listen(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--metrics-listen must be HOST:PORT or off, was '" + hostPort + "'");
        }
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(hostPort.substring(0, colon).replace("[", "").replace("]", ""), port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--metrics-listen port must be 0..65535, was '" + hostPort.substring(colon + 1) + "'");
        }
    }

    private static void usage(OptionParser p, PrintStream s) {
        s.println(USAGE);
        try {
            p.printHelpOn(s);
        } catch (IOException e) {
            s.println("(cannot print the option list: " + e.getMessage() + ")");
        }
    }
}
