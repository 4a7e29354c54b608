package org.cea.tools.migrate;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import joptsimple.OptionException;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import org.cea.candecode.facility.FacilityProfile;
import org.cea.tools.common.ProfileDir;
import org.cea.tsdb.BulkLoader;
import org.cea.tsdb.Store;
import org.cea.tsdb.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line of can-migrate: parses flags, composes source, target and verifier, prints the
 * report, and returns the exit status (0 all verified, 1 failure or differences, 2 bad flags).
 */
public final class MigrateCli {
    private static final Logger LOG = LoggerFactory.getLogger(MigrateCli.class);
    /** Exit status: migrated (or checked) and verified. */
    public static final int OK = 0;
    /** Exit status: verification found differences, or the run failed. */
    public static final int FAILED = 1;
    /** Exit status: bad flags. */
    public static final int USAGE = 2;

    private final OptionParser parser = new OptionParser();
    private final OptionSpec<Void> help = parser.acceptsAll(java.util.List.of("h", "help"), "show this help").forHelp();
    private final OptionSpec<Void> debug = parser.accepts("debug", "log at DEBUG: a fatal error with its stack trace (bin/ wrappers; or CEA_DEBUG=1)");
    private final OptionSpec<String> sqlite = parser.accepts("sqlite", "legacy SQLite file (opened read-only)")
            .withRequiredArg().describedAs("PATH");
    private final OptionSpec<String> target = parser.accepts("target",
            "target database postgresql://user:pass@host:port/db (password also from PGPASSWORD)")
            .withRequiredArg().describedAs("URL");
    private final OptionSpec<Integer> batch = parser.accepts("batch", "rows per COPY transaction (checkpoint interval)")
            .withRequiredArg().ofType(Integer.class).defaultsTo(20_000);
    private final OptionSpec<Long> fromId = parser.accepts("from-id",
            "first legacy id to migrate (default: continue from the checkpoint, else 1)")
            .withRequiredArg().ofType(Long.class);
    private final OptionSpec<Void> dryRun = parser.accepts("dry-run", "read and check every row, write nothing");
    private final OptionSpec<Void> verify = parser.accepts("verify", "only verify an earlier migration");
    private final OptionSpec<String> facility = parser.accepts("facility",
            "facility.json of the profile deriving sensor_readings (default <etc>/facility.json: $CEA_ETC, else the"
            + " etc/ of the checkout or install, else ./etc or /etc/cea)")
            .withRequiredArg().describedAs("PATH");
    private final OptionSpec<String> dbc = parser.accepts("dbc", "DBC file of the profile (default cea.dbc beside facility.json)")
            .withRequiredArg().describedAs("PATH");
    private final OptionSpec<Void> keepIndexes = parser.accepts("keep-indexes",
            "keep the indexes of an empty can_messages during the load (default: drop, load, recreate)");
    private final OptionSpec<Void> noReadings = parser.accepts("no-readings", "do not fill sensor_readings");
    private final OptionSpec<Integer> sample = parser.accepts("sample", "random rows compared field by field")
            .withRequiredArg().ofType(Integer.class).defaultsTo(1000);
    private final OptionSpec<Long> rangeSize = parser.accepts("range-size", "ids per checksum range")
            .withRequiredArg().ofType(Long.class).defaultsTo(10_000L);
    private final OptionSpec<Long> seed = parser.accepts("seed", "random seed of the sample (default: random, printed)")
            .withRequiredArg().ofType(Long.class);
    private final OptionSpec<Long> progressInterval = parser.accepts("progress-interval",
            "seconds between progress lines when not on a terminal").withRequiredArg().ofType(Long.class).defaultsTo(10L);
    private final OptionSpec<Integer> list = parser.accepts("list", "quarantined rows listed in the report")
            .withRequiredArg().ofType(Integer.class).defaultsTo(100);

    /**
     * Runs one invocation.
     *
     * @param args     command-line arguments
     * @param out      the report
     * @param err      usage, progress and the one-line error
     * @param env      environment ({@code PGPASSWORD}, {@code CEA_ETC})
     * @param terminal draw a progress bar (stderr is a terminal)
     * @return the exit status
     */
    public int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
        MigrateConfig config;
        try {
            OptionSet o = parser.parse(args);
            if (o.has(help)) {
                usage(out);
                return OK;
            }
            if (!o.nonOptionArguments().isEmpty()) {
                throw new IllegalArgumentException("unexpected argument(s) " + o.nonOptionArguments());
            }
            config = config(o, env);
        } catch (OptionException | IllegalArgumentException e) {
            err.println("can-migrate: " + e.getMessage());
            usage(err);
            return USAGE;
        }
        try {
            return execute(config, out, err, env, terminal);
        } catch (MigrationException | org.cea.tsdb.TsdbException e) {
            LOG.debug("failed", e);
            err.println("can-migrate: " + e.getMessage());
            return FAILED;
        } catch (RuntimeException e) {
            LOG.error("unexpected failure", e);
            err.println("can-migrate: unexpected failure: " + e + "; what was committed is consistent, rerun to continue");
            return FAILED;
        }
    }

    private MigrateConfig config(OptionSet o, Map<String, String> env) {
        if (!o.has(sqlite)) {
            throw new IllegalArgumentException("--sqlite is required");
        }
        Path facilityJson = null;
        Path dbcFile = null;
        boolean readings = !o.has(noReadings) && !o.has(verify);
        if (o.has(noReadings) && (o.has(facility) || o.has(dbc))) {
            throw new IllegalArgumentException("--no-readings excludes --facility and --dbc");
        }
        if (readings) {
            facilityJson = o.has(facility) ? Path.of(o.valueOf(facility)) : defaultFacility(env);
            dbcFile = o.has(dbc) ? Path.of(o.valueOf(dbc)) : facilityJson.resolveSibling("cea.dbc");
        }
        long s = o.has(seed) ? o.valueOf(seed) : ThreadLocalRandom.current().nextLong();
        VerifyOptions v = new VerifyOptions(o.valueOf(rangeSize), o.valueOf(sample), s, 20_000);
        return new MigrateConfig(Path.of(o.valueOf(sqlite)), o.valueOf(target), o.valueOf(batch), o.valueOf(fromId),
                o.has(dryRun), o.has(verify), facilityJson, dbcFile, v, o.valueOf(progressInterval), o.valueOf(list),
                o.has(keepIndexes));
    }

    private static Path defaultFacility(Map<String, String> env) {
        Path p = ProfileDir.locate(null, env, MigrateCli.class).resolve(FacilityProfile.FACILITY_JSON);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("sensor_readings need the facility profile and " + p.toAbsolutePath()
                    + " does not exist: give --facility PATH (or --no-readings)");
        }
        return p;
    }

    private int execute(MigrateConfig config, PrintStream out, PrintStream err, Map<String, String> env,
                        boolean terminal) {
        LOG.info("starting {}", config);
        ReadingDeriver deriver = config.readings() ? FacilityReadings.load(config.facility(), config.dbc())
                : ReadingDeriver.NONE;
        try (SqliteSource source = SqliteSource.open(config.sqlite());
             BulkLoader db = config.target() == null ? null : connect(config.target(), env)) {
            out.println("can-migrate: " + source.path() + " -> " + (db == null ? "(no target: source check only)"
                    : Store.maskPasswords(config.target())));
            if (config.verifyOnly()) {
                return verifyOnly(source, db, config, out);
            }
            Progress progress = new Progress(err, terminal, config.progressSeconds(), System::nanoTime);
            Migrator.Result r = new Migrator(source, db, config, deriver, progress, out, System::nanoTime).run();
            if (config.dryRun()) {
                out.println("DRY RUN: nothing was written");
                return OK;
            }
            return r.verifyOk() ? OK : FAILED;
        }
    }

    private static BulkLoader connect(String target, Map<String, String> env) {
        try {
            return BulkLoader.open(target, env::get, "can-migrate");
        } catch (StoreUnavailableException e) {
            throw new MigrationException(e.getMessage() + "; check --target and that the server is running", e);
        }
    }

    private static int verifyOnly(SqliteSource source, BulkLoader db, MigrateConfig config, PrintStream out) {
        Checkpoint cp = new MigrationLedger(db).checkpoint();
        if (cp == null) {
            throw new MigrationException("the target has no migration_checkpoint: nothing was migrated to verify;"
                    + " run without --verify first");
        }
        long from = config.fromId() != null ? Math.max(config.fromId(), cp.fromId()) : cp.fromId();
        out.printf(Locale.ROOT, "verifying ids %d..%d (checkpoint%s)%n", from, cp.lastId(),
                cp.finished() ? "" : ", migration not finished");
        VerifyReport report = new Verifier(source, db, config.verify()).verify(from, cp.lastId());
        report.print(out);
        return report.ok() ? OK : FAILED;
    }

    private void usage(PrintStream s) {
        s.println("Usage: can-migrate --sqlite PATH --target postgresql://user:pass@host:port/db [options]");
        s.println("Copies the legacy SQLite can_messages table into TimescaleDB/PostgreSQL, resumably, then");
        s.println("verifies it (counts, per-day counts, per-id-range checksums, a random sample).");
        s.println("Exit status: 0 migrated and verified, 1 failed or differences found, 2 bad flags.");
        s.println();
        try {
            parser.printHelpOn(s);
        } catch (IOException e) {
            s.println("(cannot print option help: " + e.getMessage() + ")");
        }
    }
}
