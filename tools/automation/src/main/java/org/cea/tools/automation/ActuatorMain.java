package org.cea.tools.automation;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import joptsimple.OptionException;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import org.cea.redisio.ActuatorCommands;
import org.cea.redisio.AlertKeys;
import org.cea.redisio.ConsumerConfig;
import org.cea.redisio.MalformedEntryException;
import org.cea.redisio.RawEntry;
import org.cea.redisio.RedisConfig;
import org.cea.redisio.RedisIoException;
import org.cea.redisio.StreamConsumer;
import org.cea.tools.common.EnvNames;
import org.cea.tools.common.ToolExit;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * {@code cea-actuator --dry-run}: the reference consumer of {@code actuators:commands}. Reads in
 * its own consumer group (default {@code cea-actuator}), prints one line per command ("would turn
 * exhaust_fan_v on"), skips expired ones ("EXPIRED, not carried out"), and acknowledges each. No
 * hardware: it exercises the contract end to end. Exit 0 on SIGTERM, 2 on bad flags.
 */
final class ActuatorMain {
    private static final String USAGE = "usage: cea-actuator --dry-run [--redis-url URL] [--group G] [--consumer NAME] [--count N]";

    private ActuatorMain() {
    }

    /** Runs in this JVM without a shutdown hook (tests). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, ToolExit.inProcess("cea-actuator"));
    }

    static int run(String[] args, PrintStream out, PrintStream err, ToolExit exit) {
        Flags f = new Flags();
        OptionSet o;
        long count;
        try {
            o = f.parser.parse(args);
            if (o.has(f.help)) {
                out.println(USAGE);
                f.parser.printHelpOn(out);
                return 0;
            }
            if (!o.has(f.dryRun)) {
                throw new IllegalArgumentException("--dry-run is required: this reference consumer drives no hardware");
            }
            // read here, not where it is used: a value that is not a number is a usage error (exit 2), not a crash
            count = o.valueOf(f.count);
            if (count < 0) {
                throw new IllegalArgumentException("--count must be 0 or more, was " + count);
            }
        } catch (OptionException | IllegalArgumentException e) {
            err.println("cea-actuator: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (IOException e) {
            return 1;
        }
        RedisConfig rc = redisConfig(o.valueOf(f.redis), err);
        if (rc == null) {
            return 2;
        }
        String name = o.has(f.consumer) ? o.valueOf(f.consumer) : ConsumerConfig.defaultConsumerName();
        AtomicBoolean running = new AtomicBoolean(true);
        exit.onSignal(() -> running.set(false));
        try (JedisPooled jedis = rc.openClient()) {
            JedisDataException refused = refused(jedis);
            if (refused != null) {
                return exit.fatal(err, "redis " + rc.maskedUrl() + " refused the connection: " + refused.getMessage()
                        + " (fix the user/password in --redis-url / REDIS_URL)", refused);
            }
            consume(jedis, new ConsumerConfig(AlertKeys.COMMANDS, o.valueOf(f.group), name, 100, 1_000, 60_000, 100),
                    count, running, out, err);
        }
        return 0;
    }

    /** The command line: the parser and its options, in {@code --help} order. */
    private static final class Flags {
        final OptionParser parser = new OptionParser();
        final OptionSpec<Void> help = parser.acceptsAll(List.of("h", "help"), "show this help").forHelp();
        final OptionSpec<Void> debug = parser.accepts("debug",
                "log at DEBUG: a fatal error with its stack trace (bin/ wrappers; or CEA_DEBUG=1)");
        final OptionSpec<Void> dryRun = parser.accepts("dry-run", "log and acknowledge commands without driving anything (required:"
                + " this reference consumer has no hardware)");
        final OptionSpec<String> redis = parser.accepts("redis-url", "redis://[user:pass@]host:port[/db] (env REDIS_URL)")
                .withRequiredArg();
        final OptionSpec<String> group = parser.accepts("group", "consumer group").withRequiredArg().defaultsTo("cea-actuator");
        final OptionSpec<String> consumer = parser.accepts("consumer", "consumer name (default host-pid)").withRequiredArg();
        final OptionSpec<Long> count = parser.accepts("count", "exit after this many commands (0 = run until SIGTERM)")
                .withRequiredArg().ofType(Long.class).defaultsTo(0L);
    }

    /** The Redis connection from {@code --redis-url} or the environment, or null after printing why it is bad (exit 2). */
    private static RedisConfig redisConfig(String flag, PrintStream err) {
        String url = EnvNames.redisUrl(flag, System.getenv());
        try {
            return RedisConfig.fromUrl(url).withServiceUser("automation", System.getenv()).withSocketTimeoutMs(5_000);
        } catch (IllegalArgumentException e) {
            err.println("cea-actuator: " + e.getMessage());
            return null;
        }
    }

    /** Pings once: the refusal (bad user/password) if Redis answered with one, else null. */
    private static JedisDataException refused(JedisPooled jedis) {
        try {
            jedis.ping();
        } catch (JedisConnectionException e) {
            // unreachable: consume() retries with the same messages as after an outage
        } catch (JedisDataException e) {
            return e;
        }
        return null;
    }

    private static void consume(JedisPooled jedis, ConsumerConfig cc, long max, AtomicBoolean running, PrintStream out,
                                PrintStream err) {
        StreamConsumer c = null;
        long done = 0;
        while (running.get() && (max == 0 || done < max)) {
            try {
                if (c == null) {
                    c = StreamConsumer.create(jedis, cc);
                }
                for (RawEntry r : c.next()) {
                    line(r, out);
                    c.ack(List.of(r.id()));
                    done++;
                }
            } catch (RedisIoException e) {
                err.println("cea-actuator: " + e.getMessage() + "; retrying");
                if (c != null) {
                    c.rewind();
                }
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void line(RawEntry r, PrintStream out) {
        try {
            ActuatorCommands.Command cmd = ActuatorCommands.parse(r);
            long now = System.currentTimeMillis();
            String what = cmd.command() + (cmd.value().isEmpty() ? "" : " " + cmd.value());
            if (cmd.expired(now)) {
                out.println("cea-actuator: " + r.id() + " " + cmd.actuator() + " " + what + ": EXPIRED at " + cmd.expiresAt()
                        + ", not carried out (rule " + cmd.rule() + ")");
            } else {
                out.println("cea-actuator: " + r.id() + " DRY RUN: would set " + cmd.actuator() + " " + what + " (rule "
                        + cmd.rule() + ": " + cmd.reason() + ")");
            }
        } catch (MalformedEntryException e) {
            out.println("cea-actuator: " + r.id() + " ignored: " + e.getMessage());
        }
        out.flush();
    }
}
