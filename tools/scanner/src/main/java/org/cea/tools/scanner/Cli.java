package org.cea.tools.scanner;

import static java.util.Arrays.asList;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import joptsimple.OptionException;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import org.cea.redisio.RedisConfig;
import org.cea.redisio.StreamWriterSettings;
import org.cea.tools.common.DbConfig;
import org.cea.tools.common.EnvNames;
import org.cea.tools.common.ProfileDir;
import org.cea.tsdb.Store;

/** Flag parsing for can-scanner (jopt-simple); environment defaults: REDIS_URL, LEGACY_DB_URL (or the deprecated CEA_DB_URL), CEA_SPOOL_DIR, CEA_ETC. */
final class Cli {
    /** Default legacy SQLite file, relative to the working directory. */
    static final String DEFAULT_DB = "var/can_messages.db";
    /** Default spool directory, relative to the working directory. */
    static final String DEFAULT_SPOOL = "var/spool";
    /**
     * Legacy SQLite write window. Each transaction appends every page it touched (the table's and
     * its four indexes' newest leaves, about 24 KB) to the WAL, whether it holds one row or a hundred:
     * one per frame was 31 KB per frame on the device at facility load (scripts/bench-facility.sh).
     * 5 s is 75 rows per transaction; a power cut loses at most those (and, with synchronous=NORMAL,
     * the commits since the last WAL sync), which the stream path still has.
     */
    static final long DEFAULT_DB_FLUSH_MS = 5_000;

    final OptionParser parser = new OptionParser();
    private final OptionSpec<String> source =
            parser.accepts("source", "socketcan:IFACE | candump:FILE | candump:- | sim").withRequiredArg()
            .defaultsTo("socketcan:can0");
    private final OptionSpec<String> redisUrl =
            parser.accepts("redis-url", "redis://[user:password@]host:port[/db] or rediss:// (env REDIS_URL)")
            .withRequiredArg().defaultsTo("redis://127.0.0.1:6379");
    private final OptionSpec<Void> noStream = parser.accepts("no-stream", "do not write the Redis stream");
    private final OptionSpec<String> dbUrl =
            parser.accepts("db-url", "legacy direct DB write: SQLite file, jdbc:sqlite:, postgresql:// (env LEGACY_DB_URL)")
            .withRequiredArg().defaultsTo(DEFAULT_DB);
    private final OptionSpec<Void> noDb = parser.accepts("no-db", "no direct DB write");
    private final OptionSpec<String> spoolDir =
            parser.accepts("spool-dir", "where frames wait while Redis is down (env CEA_SPOOL_DIR)")
            .withRequiredArg().defaultsTo(DEFAULT_SPOOL);
    private final OptionSpec<String> sink =
            parser.accepts("sink", "extra debug sink candump:FILE (candump -l format)").withRequiredArg();
    private final OptionSpec<String> etc =
            parser.accepts("etc", "directory with facility.json and cea.dbc (env CEA_ETC)").withRequiredArg();
    private final OptionSpec<Void> quiet = parser.accepts("quiet", "no per-frame console line");
    private final OptionSpec<Integer> stats =
            parser.accepts("stats-interval", "seconds between stats lines on stderr, 0 = none")
            .withRequiredArg().ofType(Integer.class).defaultsTo(10);
    private final OptionSpec<Long> count =
            parser.accepts("count", "stop after N frames").withRequiredArg().ofType(Long.class).defaultsTo(0L);
    private final OptionSpec<Double> duration =
            parser.accepts("duration", "stop after SEC seconds").withRequiredArg().ofType(Double.class)
            .defaultsTo(0.0);
    private final OptionSpec<String> speed =
            parser.accepts("speed", "candump replay speed: factor (1.0 = original timing) or max")
            .withRequiredArg().defaultsTo("1.0");
    private final OptionSpec<Void> retime =
            parser.accepts("retime", "stamp replayed candump frames with the current time");
    private final OptionSpec<String> simSpeed =
            parser.accepts("sim-speed", "simulated seconds per second, or max").withRequiredArg()
            .defaultsTo("1");
    private final OptionSpec<Long> simSeed =
            parser.accepts("sim-seed", "simulator noise seed").withRequiredArg().ofType(Long.class)
            .defaultsTo(1L);
    private final OptionSpec<String> simDropout =
            parser.accepts("sim-dropout", "simulated nodes (1-4) that stay silent: NODE or NODE@FROM-TO"
            + " (simulated seconds)").withRequiredArg().withValuesSeparatedBy(',');
    private final OptionSpec<String> simFault =
            parser.accepts("sim-fault", "room nodes (1-3) whose PT100 reports faulted probes: NODE or NODE@FROM-TO")
            .withRequiredArg().withValuesSeparatedBy(',');
    private final OptionSpec<String> simSet =
            parser.accepts("sim-set", "hold a simulated signal: NODE:SIGNAL=VALUE[@FROM-TO], SIGNAL one of "
            + String.join(", ", FacilitySimulator.Window.SIGNALS) + " (repeatable)").withRequiredArg();
    private final OptionSpec<Double> simLoss =
            parser.accepts("sim-loss", "probability 0..1 that a simulated frame is lost (seq gap)")
            .withRequiredArg().ofType(Double.class).defaultsTo(0.0);
    private final OptionSpec<Integer> batch =
            parser.accepts("batch-size", "stream entries per pipelined XADD batch").withRequiredArg()
            .ofType(Integer.class).defaultsTo(StreamWriterSettings.DEFAULT_BATCH);
    private final OptionSpec<Integer> flushMs =
            parser.accepts("flush-ms", "send a partial stream batch after this many ms").withRequiredArg()
            .ofType(Integer.class).defaultsTo(StreamWriterSettings.DEFAULT_FLUSH_MS);
    private final OptionSpec<Long> maxLen =
            parser.accepts("maxlen", "MAXLEN ~ memory cap of the stream, entries").withRequiredArg()
            .ofType(Long.class).defaultsTo(StreamWriterSettings.DEFAULT_MAX_LEN);
    private final OptionSpec<Integer> dbBatch =
            parser.accepts("db-batch", "rows per DB transaction").withRequiredArg().ofType(Integer.class)
            .defaultsTo(500);
    private final OptionSpec<Long> dbFlushMs =
            parser.accepts("db-flush-ms", "legacy DB write: rows gather this long after the first before"
            + " one transaction (0..60000; 0 = at once); a power cut loses at most this much of the legacy file")
            .withRequiredArg().ofType(Long.class).defaultsTo(DEFAULT_DB_FLUSH_MS);
    private final OptionSpec<Double> drainTimeout =
            parser.accepts("drain-timeout", "at the end of a finite run (candump log, --count, --duration),"
            + " wait up to SEC seconds for spooled frames to reach Redis; frames still spooled then: exit 1")
            .withRequiredArg().ofType(Double.class).defaultsTo(30.0);
    private final OptionSpec<Void> help = parser.acceptsAll(asList("help", "h"), "this help").forHelp();
    private final OptionSpec<Void> debug = parser.accepts("debug",
            "log at DEBUG: a fatal error with its stack trace (bin/ wrappers; or CEA_DEBUG=1)");

    /** Prints usage. */
    void usage(PrintStream err) {
        err.println("usage: can-scanner [--source socketcan:can0|candump:FILE|candump:-|sim] [options]");
        err.println("Reads CAN frames and writes them to the Redis stream can:raw (spooling to disk while Redis");
        err.println("is down) and, in parallel, to the legacy database table can_messages.");
        try {
            parser.printHelpOn(err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses flags.
     *
     * @param help where --help prints the usage (stdout)
     * @return the options, or null when --help was asked for (usage already printed)
     * @throws OptionException          for unknown or malformed flags
     * @throws IllegalArgumentException for values out of range
     */
    ScannerOptions parse(String[] args, Map<String, String> env, PrintStream help) {
        OptionSet o = parser.parse(args);
        if (o.has(this.help)) {
            usage(help);
            return null;
        }
        if (!o.nonOptionArguments().isEmpty()) {
            throw new IllegalArgumentException("unexpected arguments " + o.nonOptionArguments());
        }
        StreamWriterSettings ss = StreamWriterSettings.defaults().withBatchSize(o.valueOf(batch))
                .withFlushIntervalMs(o.valueOf(flushMs)).withMaxLen(o.valueOf(maxLen));
        RedisConfig redis = null;
        if (!o.has(noStream)) {
            String url = EnvNames.redisUrl(o.has(redisUrl) ? o.valueOf(redisUrl) : null, env);
            redis = RedisConfig.fromUrl(url).withServiceUser("scanner", env).withSocketTimeoutMs(2_000);
        }
        String db = o.has(noDb) ? null : DbConfig.legacy("--db-url", o.has(dbUrl) ? o.valueOf(dbUrl) : null, env, DEFAULT_DB).url();
        refuseTheWorkersDatabase(db, env.get("DB_URL"));
        String spool = EnvNames.pick(o.has(spoolDir) ? o.valueOf(spoolDir) : null, env, DEFAULT_SPOOL, "CEA_SPOOL_DIR");
        Path candump = null;
        if (o.has(sink)) {
            String s = o.valueOf(sink);
            if (!s.startsWith("candump:") || s.length() == "candump:".length()) {
                throw new IllegalArgumentException("--sink must be candump:FILE, was '" + s + "'");
            }
            candump = Path.of(s.substring("candump:".length()));
        }
        double durationS = o.valueOf(duration);
        if (!(durationS >= 0)) {
            throw new IllegalArgumentException("--duration must be >= 0 seconds, was " + durationS);
        }
        return new ScannerOptions(o.valueOf(source), redis, ss, Path.of(spool), db, candump,
                ProfileDir.locate(o.valueOf(etc), env, Cli.class), o.has(quiet), o.valueOf(stats),
                o.valueOf(count), (long) (durationS * 1000), factor("--speed", o.valueOf(speed)), o.has(retime),
                factor("--sim-speed", o.valueOf(simSpeed)),
                ScannerOptions.simSettings(o.valueOf(simSeed), o.valuesOf(simDropout), o.valuesOf(simFault),
                        o.valuesOf(simSet), o.valueOf(simLoss)), o.valueOf(dbBatch), o.valueOf(dbFlushMs),
                (long) (o.valueOf(drainTimeout) * 1000));
    }

    /**
     * The legacy direct write next to the worker's database would store every frame twice (once
     * from here, once from the stream); {@code DB_URL} is the worker's, from the shared cea.env.
     */
    static void refuseTheWorkersDatabase(String legacy, String worker) {
        if (legacy != null && worker != null && !worker.isBlank() && Store.sameDatabase(legacy, worker)) {
            throw new IllegalArgumentException("--db-url / LEGACY_DB_URL names the worker's database (DB_URL): the legacy"
                    + " direct write would store every frame a second time; point it at the legacy SQLite file"
                    + " (e.g. /var/lib/cea/can_messages.db) or pass --no-db");
        }
    }

    private static double factor(String flag, String v) {
        if ("max".equals(v)) {
            return 0;
        }
        try {
            double d = Double.parseDouble(v);
            if (d > 0 && !Double.isInfinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + " must be a number > 0 or 'max', was '" + v + "'");
    }
}
