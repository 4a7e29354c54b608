package org.cea.tools.consistency;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import joptsimple.OptionException;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import org.cea.redisio.RedisConfig;
import org.cea.tools.common.DbConfig;
import org.cea.tools.common.EnvNames;
import org.cea.tsdb.MinuteDigests;
import org.cea.tsdb.TsdbException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line of can-consistency: flags and environment to a {@link ConsistencyConfig}, the
 * two stores opened read-only, the {@link Comparison} run into the text or JSON report, the result
 * recorded in Redis, and the exit status.
 */
public final class ConsistencyCli {
    private static final Logger LOG = LoggerFactory.getLogger(ConsistencyCli.class);
    /** Exit status: every closed minute holds the same rows on both paths. */
    public static final int EQUAL = 0;
    /** Exit status: at least one closed minute differs (each is named). */
    public static final int DIFFER = 1;
    /** Exit status: bad flags (usage on stderr). */
    public static final int USAGE = 2;
    /** Exit status: the comparison could not run (a store missing, unreachable or unreadable). */
    public static final int FAILED = 3;
    /** The legacy file the scanner writes by default, relative to the working directory. */
    static final String DEFAULT_LEGACY = "var/can_messages.db";
    /** The database make demo's worker writes, relative to the working directory. */
    static final String DEFAULT_DATABASE = "var/cea.db";

    private final OptionParser parser = new OptionParser();
    private final OptionSpec<Void> help = parser.acceptsAll(List.of("h", "help"), "show this help").forHelp();
    private final OptionSpec<Void> debug = parser.accepts("debug", "log at DEBUG: a fatal error with its stack trace (bin/ wrappers; or CEA_DEBUG=1)");
    private final OptionSpec<String> legacy = parser.accepts("legacy", "the scanner's legacy SQLite file (or its URL),"
            + " read-only (env LEGACY_DB_URL, the scanner's, or its old name CEA_DB_URL; default " + DEFAULT_LEGACY + ")")
            .withRequiredArg()
            .describedAs("PATH");
    private final OptionSpec<String> dbUrl = parser.accepts("db-url", "the worker's database, postgresql://user:pass@"
            + "host:port/db or a SQLite file (env DB_URL_READER, else DB_URL; default " + DEFAULT_DATABASE + ")")
            .withRequiredArg().describedAs("URL");
    private final OptionSpec<String> from = parser.accepts("from", "start: now, 2026-11-26, 2026-11-26 10:00 (local),"
            + " 2026-11-26T10:00Z, @UNIX_SECONDS (default: --last before --to)").withRequiredArg().describedAs("TIME");
    private final OptionSpec<String> to = parser.accepts("to", "end, same forms (default now)").withRequiredArg()
            .describedAs("TIME");
    private final OptionSpec<String> last = parser.accepts("last", "length of the range before --to: 90m, 24h, 30d")
            .withRequiredArg().describedAs("DURATION").defaultsTo("24h");
    private final OptionSpec<String> settle = parser.accepts("settle", "a minute is compared once this has passed"
            + " after its end; newer minutes are open (still being written)").withRequiredArg()
            .describedAs("DURATION").defaultsTo("60s");
    private final OptionSpec<Integer> rows = parser.accepts("rows", "rows listed per side of each difference")
            .withRequiredArg().ofType(Integer.class).defaultsTo(10);
    private final OptionSpec<Integer> detail = parser.accepts("detail", "differences whose rows are listed (the"
            + " others are named with their counts)").withRequiredArg().ofType(Integer.class).defaultsTo(100);
    private final OptionSpec<Void> json = parser.accepts("json", "write the report as JSON on stdout");
    private final OptionSpec<Void> quiet = parser.accepts("quiet", "print only the summary line (for cron)");
    private final OptionSpec<String> redisUrl = parser.accepts("redis-url", "record the result in consistency:status"
            + " there (env REDIS_URL, default redis://127.0.0.1:6379)").withRequiredArg().describedAs("URL");
    private final OptionSpec<Void> noRecord = parser.accepts("no-record", "do not record the result in Redis");
    private final OptionSpec<Long> progressInterval = parser.accepts("progress-interval", "seconds between progress"
            + " lines on stderr when it is not a terminal (0 = none; a terminal shows a bar)").withRequiredArg()
            .ofType(Long.class).defaultsTo(0L);

    private final LongSupplier wallMillis;
    private final LongSupplier nanos;
    private final ZoneId zone;

    /**
     * @param wallMillis wall clock, Unix ms (the default range and which minutes are open)
     * @param nanos      monotonic clock (durations, progress)
     * @param zone       time zone of the times in the text report and of local --from/--to
     */
    public ConsistencyCli(LongSupplier wallMillis, LongSupplier nanos, ZoneId zone) {
        this.wallMillis = wallMillis;
        this.nanos = nanos;
        this.zone = zone;
    }

    /**
     * Runs one invocation.
     *
     * @param args     flags
     * @param out      the report
     * @param err      usage, progress, warnings and the one-line error
     * @param env      environment ({@code LEGACY_DB_URL}, {@code DB_URL_READER}, {@code DB_URL}, {@code REDIS_URL},
     *                 {@code REDIS_MONITOR_PASSWORD})
     * @param terminal stderr is a terminal: draw a progress bar
     * @return the exit status
     */
    public int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
        ConsistencyConfig config;
        try {
            OptionSet o = parser.parse(args);
            if (o.has(help)) {
                usage(out);
                return EQUAL;
            }
            if (!o.nonOptionArguments().isEmpty()) {
                throw new IllegalArgumentException("unexpected argument(s) " + o.nonOptionArguments());
            }
            config = config(o, env);
        } catch (OptionException | IllegalArgumentException e) {
            err.println("can-consistency: " + e.getMessage());
            usage(err);
            return USAGE;
        }
        return execute(config, env, out, err, terminal);
    }

    private ConsistencyConfig config(OptionSet o, Map<String, String> env) {
        long now = wallMillis.getAsLong();
        if (o.has(from) && o.has(last)) {
            throw new IllegalArgumentException("--from and --last exclude each other");
        }
        long toMillis = o.has(to) ? TimeArgs.instant("to", o.valueOf(to), zone, now) : now;
        long fromMillis = o.has(from) ? TimeArgs.instant("from", o.valueOf(from), zone, now)
                : toMillis - TimeArgs.duration("last", o.valueOf(last)).toMillis();
        Duration s = TimeArgs.duration("settle", o.valueOf(settle));
        String redis = o.has(noRecord) ? null : o.has(redisUrl) ? o.valueOf(redisUrl)
                : EnvNames.redisUrl(null, env);
        if (o.has(noRecord) && o.has(redisUrl)) {
            throw new IllegalArgumentException("--no-record and --redis-url exclude each other");
        }
        if (redis != null) {
            RedisConfig.fromUrl(redis);
        }
        return new ConsistencyConfig(DbConfig.legacy("--legacy", o.valueOf(legacy), env, DEFAULT_LEGACY).url(),
                DbConfig.reader("--db-url", o.valueOf(dbUrl), env, DEFAULT_DATABASE).url(),
                TimeArgs.floorMinuteMicros(fromMillis), TimeArgs.ceilMinuteMicros(toMillis),
                TimeArgs.openFromMicros(now, s), s, o.valueOf(rows), o.valueOf(detail), o.has(json), o.has(quiet), redis,
                o.valueOf(progressInterval));
    }


    private int execute(ConsistencyConfig c, Map<String, String> env, PrintStream out, PrintStream err, boolean terminal) {
        long start = nanos.getAsLong();
        Recorder recorder = c.redisUrl() == null ? null : new Recorder(RedisConfig.fromUrl(c.redisUrl())
                .withServiceUser("monitor", env), err);
        try (MinuteDigests l = MinuteDigests.open(c.legacy());
             DatabaseReaders readers = DatabaseReaders.open(c.database(), DatabaseReaders.CONNECTIONS)) {
            MinuteDigests d = readers.first();
            Report.Header h = new Report.Header(l.target(), l.backend(), d.target(), d.backend(), c.fromMicros(),
                    c.toMicros(), c.openFromMicros());
            Comparison.Totals t = compare(c, l, readers.all(), h, out, err, terminal);
            long elapsed = nanos.getAsLong() - start;
            if (recorder != null) {
                recorder.record(Recorder.result(h, t, wallMillis.getAsLong(), elapsed, zone));
            }
            return t.equal() ? EQUAL : DIFFER;
        } catch (TsdbException e) {
            LOG.debug("comparison failed", e);
            String what = e.getMessage() + "; nothing was compared: fix that and run can-consistency again";
            err.println("can-consistency: " + what);
            if (recorder != null) {
                recorder.record(Recorder.failed(c, e.getMessage(), MinuteDigests.masked(c.legacy()),
                        MinuteDigests.masked(c.database()), wallMillis.getAsLong(),
                        nanos.getAsLong() - start));
            }
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("can-consistency: interrupted; nothing recorded");
            return FAILED;
        } catch (RuntimeException e) {
            LOG.error("unexpected failure", e);
            err.println("can-consistency: unexpected failure: " + e + "; nothing recorded, run it again");
            return FAILED;
        }
    }

    private Comparison.Totals compare(ConsistencyConfig c, MinuteDigests l, List<MinuteDigests> d, Report.Header h,
                                      PrintStream out, PrintStream err, boolean terminal) throws InterruptedException {
        Progress progress = new Progress(err, terminal, c.progressSeconds(), nanos, zone);
        Report report = c.json() ? new JsonReport(out, zone) : new TextReport(out, c.quiet(), zone, progress::clear);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService side = Executors.newFixedThreadPool(d.size(), r -> {
            Thread t = new Thread(r, "consistency-database-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            long start = nanos.getAsLong();
            report.start(h);
            progress.start(c.fromMicros(), c.toMicros());
            Comparison.Totals t = new Comparison(l, d, side, c.rows(), c.detail()).run(c.fromMicros(), c.toMicros(),
                    c.openFromMicros(), withProgress(report, progress));
            progress.clear();
            report.finish(t, nanos.getAsLong() - start);
            return t;
        } finally {
            progress.clear();
            side.shutdownNow();
        }
    }

    /** The report, with the progress shown after each chunk. */
    private static Comparison.Listener withProgress(Report report, Progress progress) {
        return new Comparison.Listener() {
            @Override
            public void difference(Difference diff) {
                report.difference(diff);
            }

            @Override
            public void open(long minute, long legacyRows, long databaseRows) {
                report.open(minute, legacyRows, databaseRows);
            }

            @Override
            public void progress(long done, Comparison.Totals soFar) {
                progress.update(done, soFar);
            }
        };
    }

    private void usage(PrintStream s) {
        s.println("Usage: can-consistency [--legacy PATH] [--db-url URL] [--last 24h | --from TIME] [--to TIME] [options]");
        s.println("Compares the scanner's legacy SQLite can_messages with the can_messages the worker wrote, per minute");
        s.println("and CAN id: row counts and a checksum of (time µs, can_id, dlc, raw_data); for a differing minute the");
        s.println("rows found on one side only. Both stores are read, never written. Minutes newer than --settle are");
        s.println("open (still being written) and not compared. The result is recorded in Redis (consistency:status)");
        s.println("for the monitors, can-api and the automation rules. Summary on the last line of stdout.");
        s.println("Exit status: 0 every closed minute equal, 1 a minute differs (each is named), 2 bad flags,");
        s.println("3 the comparison could not run (a store missing or unreachable). See docs/MIGRATION.md.");
        s.println();
        try {
            parser.printHelpOn(s);
        } catch (IOException e) {
            s.println("(cannot print option help: " + e.getMessage() + ")");
        }
    }
}
