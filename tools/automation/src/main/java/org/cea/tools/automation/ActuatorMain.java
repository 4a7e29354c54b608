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
    private ActuatorMain() {
    }

    /** Runs in this JVM without a shutdown hook (tests). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, ToolExit.inProcess("cea-actuator"));
    }

    static int run(String[] args, PrintStream out, PrintStream err, ToolExit exit) {
        OptionParser p = new OptionParser();
        OptionSpec<Void> help = p.acceptsAll(List.of("h", "help"), "show this help").forHelp();
        p.accepts("debug", "log at DEBUG: a fatal error with its stack trace (bin/ wrappers; or CEA_DEBUG=1)");
        OptionSpec<Void> dryRun = p.accepts("dry-run", "log and acknowledge commands without driving anything (required:"
                + " this reference consumer has no hardware)");
        OptionSpec<String> redis = p.accepts("redis-url", "redis://[user:pass@]host:port[/db] (env REDIS_URL)").withRequiredArg();
        OptionSpec<String> group = p.accepts("group", "consumer group").withRequiredArg().defaultsTo("cea-actuator");
        OptionSpec<String> consumer = p.accepts("consumer", "consumer name (default host-pid)").withRequiredArg();
        OptionSpec<Long> count = p.accepts("count", "exit after this many commands (0 = run until SIGTERM)").withRequiredArg()
                .ofType(Long.class).defaultsTo(0L);
        OptionSet o;
        try {
            o = p.parse(args);
            if (o.has(help)) {
                out.println("usage: cea-actuator --dry-run [--redis-url URL] [--group G] [--consumer NAME] [--count N]");
                p.printHelpOn(out);
                return 0;
            }
            if (!o.has(dryRun)) {
                throw new IllegalArgumentException("--dry-run is required: this reference consumer drives no hardware");
            }
        } catch (OptionException | IllegalArgumentException e) {
            err.println("cea-actuator: " + e.getMessage());
            err.println("usage: cea-actuator --dry-run [--redis-url URL] [--group G] [--consumer NAME] [--count N]");
            return 2;
        } catch (IOException e) {
            return 1;
        }
        String url = EnvNames.redisUrl(o.valueOf(redis), System.getenv());
        RedisConfig rc;
        try {
            rc = RedisConfig.fromUrl(url).withServiceUser("automation", System.getenv()).withSocketTimeoutMs(5_000);
        } catch (IllegalArgumentException e) {
            err.println("cea-actuator: " + e.getMessage());
            return 2;
        }
        String name = o.has(consumer) ? o.valueOf(consumer) : ConsumerConfig.defaultConsumerName();
        AtomicBoolean running = new AtomicBoolean(true);
        exit.onSignal(() -> running.set(false));
        try (JedisPooled jedis = rc.openClient()) {
            try {
                jedis.ping();
            } catch (JedisConnectionException e) {
                // unreachable: consume() retries with the same messages as after an outage
            } catch (JedisDataException e) {
                return exit.fatal(err, "redis " + rc.maskedUrl() + " refused the connection: " + e.getMessage()
                        + " (fix the user/password in --redis-url / REDIS_URL)", e);
            }
            consume(jedis, new ConsumerConfig(AlertKeys.COMMANDS, o.valueOf(group), name, 100, 1_000, 60_000, 100),
                    o.valueOf(count), running, out, err);
        }
        return 0;
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
