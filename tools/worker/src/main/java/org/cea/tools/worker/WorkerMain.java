package org.cea.tools.worker;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import joptsimple.OptionException;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import org.cea.candecode.CanDecodeException;
import org.cea.candecode.FrameDecoder;
import org.cea.candecode.facility.FacilityProcessor;
import org.cea.candecode.facility.FacilityProfile;
import org.cea.redisio.ConsumerConfig;
import org.cea.redisio.RedisConfig;
import org.cea.redisio.StreamConsumer;
import org.cea.redisio.StreamSchema;
import org.cea.tools.common.DbConfig;
import org.cea.tools.common.EnvNames;
import org.cea.tools.common.ProfileDir;
import org.cea.tools.common.ToolExit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

/**
 * {@code can-worker}: consumes {@code can:raw} into the database and the live sensor keys. Flags
 * and environment: {@code --db-url} ({@code DB_URL}), {@code --redis-url} ({@code REDIS_URL}).
 * Start-up opens and checks the database, then Redis, before it joins the consumer group (an
 * unusable database exits 1 with no entry taken); while either is merely unreachable it retries
 * with capped backoff. SIGTERM finishes and acknowledges the batch in progress and exits 0. Exit 2
 * on bad flags, 1 on a fatal error (one line on stderr; the stack trace only at DEBUG).
 */
public final class WorkerMain {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);
    private static final long STOP_TIMEOUT_MS = 15_000;
    /**
     * At the facility's 15 frames/s a transaction per read was a WAL flush per frame (issue 20,
     * scripts/bench-facility.sh); 500 ms groups about 8 frames per commit and keeps the frame's way to
     * the database well under a second. Live keys do not wait for it.
     */
    static final long DEFAULT_COMMIT_INTERVAL_MS = 500;

    private WorkerMain() {
    }

    /** Entry point: exits with {@link #run}'s status (see {@link ToolExit}: a signal never turns a failure into 0). */
    public static void main(String[] args) {
        ToolExit exit = ToolExit.install("can-worker", STOP_TIMEOUT_MS);
        exit.exit(run(args, System.err, exit));
    }

    /** Runs in this JVM without a shutdown hook (tests). */
    static int run(String[] args, PrintStream err) {
        return run(args, err, ToolExit.inProcess("can-worker"));
    }

    static int run(String[] args, PrintStream err, ToolExit exit) {
        Flags flags = new Flags();
        WorkerSettings settings;
        try {
            OptionSet o = flags.parser.parse(args);
            if (o.has(flags.help)) {
                flags.usage(System.out);
                return 0;
            }
            settings = flags.settings(o);
        } catch (OptionException | IllegalArgumentException e) {
            err.println("can-worker: " + e.getMessage());
            flags.usage(err);
            return 2;
        }
        FacilityProfile profile;
        try {
            profile = FacilityProfile.load(settings.facilityJson(), settings.dbcFile());
        } catch (CanDecodeException | java.io.UncheckedIOException e) {
            return exit.fatal(err, "cannot load the facility profile: " + e.getMessage()
                    + " (fix the file or pass --facility/--dbc)", e);
        }
        return runWorker(settings, profile, exit, err);
    }

    private static int runWorker(WorkerSettings settings, FacilityProfile profile, ToolExit exit, PrintStream err) {
        try (JedisPooled jedis = settings.redis().openPool(4, RedisConfig.POOL_WAIT_FOREVER_MS);
             DbSink db = new DbSink(settings.dbUrl(), settings.maskedDbUrl())) {
            StartupCheck check = new StartupCheck(settings, exit);
            if (!check.database(db) || !check.redis(jedis)) {
                return 0;
            }
            FrameDecoder decoder = FrameDecoder.forFacility(profile);
            BatchPreparer preparer = new BatchPreparer(decoder, new FacilityProcessor(profile));
            // the lease outlives three missed turns; a turn reads at most 200 000 entries
            SequenceJudge judge = new SequenceJudge(jedis, settings.consumer(),
                    Math.max(10_000, 3 * settings.statusIntervalMs()), 200_000, decoder,
                    () -> new FacilityProcessor(profile));
            Worker worker = new Worker(settings, jedis, db, preparer, judge, System::currentTimeMillis, System::nanoTime);
            exit.onSignal(worker::stop);
            worker.run();
        } catch (StartupCheck.Unusable e) {
            return exit.fatal(err, e.getMessage(), e.getCause());
        } catch (IllegalStateException e) {
            // DbSink: the database became unusable (schema, URL) after the start-up check
            return exit.fatal(err, e.getMessage(), e);
        } catch (RuntimeException e) {
            LOG.debug("can-worker failed", e);
            return exit.fatal(err, "failed: " + e.getMessage() + " (see the log above; --debug shows the stack trace)", e);
        }
        return 0;
    }

    /** Flag definitions. */
    private static final class Flags {
        final OptionParser parser = new OptionParser();
        final OptionSpec<Void> help = parser.acceptsAll(List.of("h", "help"), "show this help").forHelp();
        final OptionSpec<Void> debug = parser.accepts("debug", "log at DEBUG: a fatal error with its stack trace (bin/ wrappers; or CEA_DEBUG=1)");
        final OptionSpec<String> dbUrl = parser.accepts("db-url", "database: postgresql://user:pass@host:port/db, "
                + "jdbc:sqlite:PATH or a file path (env DB_URL)").withRequiredArg();
        final OptionSpec<String> redisUrl = parser.accepts("redis-url", "redis://[user:pass@]host:port[/db] "
                + "(env REDIS_URL, default redis://127.0.0.1:6379)").withRequiredArg();
        final OptionSpec<Integer> batch = parser.accepts("batch", "entries per read, 1..100000")
                .withRequiredArg().ofType(Integer.class).defaultsTo(ConsumerConfig.DEFAULT_BATCH);
        final OptionSpec<String> group = parser.accepts("group", "consumer group").withRequiredArg()
                .defaultsTo(ConsumerConfig.DEFAULT_GROUP);
        final OptionSpec<String> consumer = parser.accepts("consumer", "consumer name (default host-pid)")
                .withRequiredArg();
        final OptionSpec<String> dbc = parser.accepts("dbc", "DBC file (default <etc>/cea.dbc)").withRequiredArg();
        final OptionSpec<String> facility = parser.accepts("facility", "facility.json (default <etc>/facility.json)")
                .withRequiredArg();
        final OptionSpec<Integer> blockMs = parser.accepts("block-ms", "how long a read waits for new entries, ms")
                .withRequiredArg().ofType(Integer.class).defaultsTo(ConsumerConfig.DEFAULT_BLOCK_MS);
        final OptionSpec<Long> claimIdleMs = parser.accepts("claim-idle-ms",
                "take over entries pending this long with a dead consumer, ms").withRequiredArg().ofType(Long.class)
                .defaultsTo(ConsumerConfig.DEFAULT_CLAIM_IDLE_MS);
        final OptionSpec<Integer> maxDeliveries = parser.accepts("max-deliveries",
                "dead-letter an entry delivered more often than this").withRequiredArg().ofType(Integer.class)
                .defaultsTo(ConsumerConfig.DEFAULT_MAX_DELIVERIES);
        final OptionSpec<Long> statusMs = parser.accepts("status-interval-ms", "status log line and hash period, ms")
                .withRequiredArg().ofType(Long.class).defaultsTo(2_000L);
        final OptionSpec<Long> commitIntervalMs = parser.accepts("commit-interval-ms", "commit window, ms (0..10000):"
                + " entries read within it are committed in one transaction, acknowledged after it; live keys are"
                + " written at once; a full --batch commits at once; 0 = a transaction per read")
                .withRequiredArg().ofType(Long.class).defaultsTo(DEFAULT_COMMIT_INTERVAL_MS);
        final OptionSpec<Long> retryMaxMs = parser.accepts("retry-max-ms", "cap of the retry backoff, ms")
                .withRequiredArg().ofType(Long.class).defaultsTo(5_000L);

        WorkerSettings settings(OptionSet o) {
            if (!o.nonOptionArguments().isEmpty()) {
                throw new IllegalArgumentException("unexpected argument '" + o.nonOptionArguments().get(0) + "'");
            }
            Map<String, String> env = System.getenv();
            String db = DbConfig.writer("--db-url", o.valueOf(dbUrl), env).url();
            String redis = EnvNames.redisUrl(o.valueOf(redisUrl), env);
            String name = o.has(consumer) ? o.valueOf(consumer) : ConsumerConfig.defaultConsumerName();
            ConsumerConfig cc = new ConsumerConfig(StreamSchema.STREAM, o.valueOf(group), name, o.valueOf(batch),
                    o.valueOf(blockMs), o.valueOf(claimIdleMs), o.valueOf(maxDeliveries));
            RedisConfig rc = RedisConfig.fromUrl(redis).withServiceUser("worker", env);
            rc = rc.withSocketTimeoutMs(Math.max(rc.socketTimeoutMs(), StreamConsumer.minSocketTimeoutMs(cc)));
            Path etc = ProfileDir.locate(null, env, WorkerMain.class);
            Path dbcFile = o.has(dbc) ? Path.of(o.valueOf(dbc)) : etc.resolve(FacilityProfile.DBC_FILE);
            Path jsonFile = o.has(facility) ? Path.of(o.valueOf(facility)) : etc.resolve(FacilityProfile.FACILITY_JSON);
            long janitorMs = Math.max(1_000, Math.min(5_000, cc.claimIdleMs() / 2));
            return new WorkerSettings(rc, cc, db, jsonFile, dbcFile, o.valueOf(statusMs), janitorMs, 5_000, 250,
                    o.valueOf(retryMaxMs), o.valueOf(commitIntervalMs));
        }

        void usage(PrintStream out) {
            out.println("usage: can-worker [--db-url URL] [--redis-url URL] [--batch N] [--group G] [--consumer NAME]"
                    + " [--dbc FILE] [--facility FILE]");
            try {
                parser.printHelpOn(out);
            } catch (IOException e) {
                out.println("(cannot print help: " + e.getMessage() + ")");
            }
        }
    }
}
