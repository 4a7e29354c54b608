package org.cea.tools.migrate;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.cea.tsdb.BulkLoader;
import org.cea.tsdb.TimescaleState;
import org.cea.tsdb.TsdbException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One migration run: streams legacy rows in id order from the checkpoint to the source's largest id
 * at the start, converts them, and writes each batch (messages, quarantined rows, readings,
 * checkpoint) in one transaction; then finishes (sequence, compression) and verifies.
 */
public final class Migrator {
    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

    private final SqliteSource source;
    private final BulkLoader target;
    private final MigrationLedger ledger;
    private final MigrateConfig config;
    private final ReadingDeriver deriver;
    private final Progress progress;
    private final PrintStream out;
    private final LongSupplier clock;

    /**
     * @param source   legacy database
     * @param target   target database, or null for a dry run without one
     * @param config   the invocation
     * @param deriver  sensor readings from messages ({@link ReadingDeriver#NONE} to skip)
     * @param progress progress display
     * @param out      the report (stdout)
     * @param clock    monotonic nanoseconds
     */
    public Migrator(SqliteSource source, BulkLoader target, MigrateConfig config, ReadingDeriver deriver,
                    Progress progress, PrintStream out, LongSupplier clock) {
        this.source = source;
        this.target = target;
        this.ledger = target == null ? null : new MigrationLedger(target);
        this.config = config;
        this.deriver = deriver;
        this.progress = progress;
        this.out = out;
        this.clock = clock;
    }

    /** What a run did. */
    public record Result(long copied, long quarantined, long readings, boolean verified, boolean verifyOk) {
    }

    /**
     * Migrates (or, with {@code --dry-run}, checks) and verifies.
     *
     * @return counts and the verification outcome
     * @throws MigrationException when the run cannot go on; what was committed stays valid
     */
    public Result run() {
        checkTimescale();
        Checkpoint cp = startingCheckpoint();
        long highWater = source.maxId();
        long total = source.count(cp.lastId(), highWater);
        out.printf(Locale.ROOT, "source %s: ids up to %d, %,d rows to %s after id %d%n", source.path(), highWater, total,
                config.dryRun() ? "check" : "migrate", cp.lastId());
        checkNoForeignRows(cp, highWater);
        if (!config.dryRun()) {
            prepareLoad(cp, total);
        }
        long t0 = clock.getAsLong();
        Batches b = copy(cp, highWater, total);
        double secs = Math.max(1e-9, (clock.getAsLong() - t0) / 1e9);
        out.printf(Locale.ROOT, "%s %,d rows, quarantined %,d, readings %,d in %.1f s (%,.0f rows/s)%n",
                config.dryRun() ? "dry run: would copy" : "copied", b.copied, b.quarantined, b.readings, secs,
                (b.copied + b.quarantined) / secs);
        if (deriver instanceof FacilityReadings f) {
            out.printf(Locale.ROOT, "sensor readings: %,d written, %,d invalid (out of range or faulted, not written),"
                    + " %,d messages with unparseable raw_data%n", b.readings, f.invalidReadings(), f.undecodable());
        }
        if (config.dryRun()) {
            listQuarantine(b.quarantineSeen, b.quarantined);
            return new Result(b.copied, b.quarantined, b.readings, false, true);
        }
        return finishAndVerify(b);
    }

    private void checkTimescale() {
        if (target == null) {
            return;
        }
        TimescaleState ts = target.timescale();
        out.println(ts.describe());
        if (ts.installedButNotLoaded()) {
            throw new MigrationException("TimescaleDB is installed in the target database but not loaded"
                    + " (shared_preload_libraries = '" + ts.preloadLibraries() + "'); add timescaledb to"
                    + " shared_preload_libraries and restart PostgreSQL");
        }
    }

    /** Indexes dropped for a load into an empty table, compression policies paused: both undone by finish. */
    private void prepareLoad(Checkpoint cp, long total) {
        if (!config.keepIndexes() && cp.lastId() == cp.fromId() - 1 && cp.rowsCopied() == 0 && total > 0
                && ledger.checkpoint() == null && target.messagesEmpty()) {
            target.deferIndexes(ledger.deferredIndexes(cp));
        }
        target.pauseCompressionPolicies(ledger.pausedJobs(cp));
    }

    private Result finishAndVerify(Batches b) {
        Checkpoint done = b.checkpoint.finished(true);
        Verifier verifier = new Verifier(source, target, config.verify());
        // the target side of the verification reads while this connection rebuilds indexes
        TargetScan scan = verifier.startTargetScan(done.fromId(), done.lastId());
        try {
            ledger.finish(done);
        } catch (RuntimeException e) {
            scan.join();
            throw e;
        }
        if (b.maxMicros != Long.MIN_VALUE && config.readings()) {
            // history of the migrated period from the aggregates, not from raw rows (DESIGN.md "History")
            target.refreshAggregates(b.minMicros, b.maxMicros, System.currentTimeMillis() * 1000).forEach(out::println);
        }
        if (b.maxMicros != Long.MIN_VALUE) {
            target.compressOldChunks(b.maxMicros);
        }
        listQuarantine(ledger);
        VerifyReport report = verifier.verify(done.fromId(), done.lastId(), b.digest, scan);
        report.print(out);
        return new Result(b.copied, b.quarantined, b.readings, true, report.ok());
    }

    private Checkpoint startingCheckpoint() {
        String path = source.path().toAbsolutePath().toString();
        Checkpoint stored = null;
        if (target != null && !config.dryRun()) {
            ledger.ensureTables();
            if (config.readings() && !target.hasTable("sensor_readings")) {
                throw new MigrationException("target has no sensor_readings table; create the schema with lib-tsdb"
                        + " or run with --no-readings");
            }
        }
        if (target != null) {
            stored = ledger.checkpoint();
        }
        if (stored == null) {
            return Checkpoint.start(path, config.fromId() == null ? 1 : config.fromId());
        }
        if (config.fromId() != null && config.fromId() != stored.fromId()) {
            throw new MigrationException("the target has a migration that started at id " + stored.fromId()
                    + " and reached id " + stored.lastId() + "; --from-id " + config.fromId() + " would leave a gap or"
                    + " copy rows twice: rerun without --from-id to continue it");
        }
        out.printf(Locale.ROOT, "resuming: checkpoint at id %d (%,d rows copied, %,d quarantined so far)%n",
                stored.lastId(), stored.rowsCopied(), stored.rowsQuarantined());
        return new Checkpoint(path, stored.fromId(), stored.lastId(), stored.rowsCopied(), stored.rowsQuarantined(),
                false);
    }

    private void checkNoForeignRows(Checkpoint cp, long highWater) {
        if (target == null || highWater <= cp.lastId() || !target.hasTable("can_messages")) {
            return;
        }
        BulkLoader.IdRangeRows foreign = target.rowsInIdRange(cp.lastId(), highWater);
        if (foreign.count() > 0) {
            throw new MigrationException("target can_messages already has " + foreign.count() + " row(s) with ids in "
                    + (cp.lastId() + 1) + ".." + highWater + " (first id " + foreign.firstId() + ") that this migration did not"
                    + " write: another writer used the legacy id range; migrate into an empty table before starting"
                    + " the worker");
        }
    }

    /** Running totals of one run. */
    private static final class Batches {
        Checkpoint checkpoint;
        long copied;
        long quarantined;
        long readings;
        long minMicros = Long.MAX_VALUE;
        long maxMicros = Long.MIN_VALUE;
        SourceDigest digest;
        final List<QuarantinedRow> quarantineSeen = new ArrayList<>();
    }

    private Batches copy(Checkpoint start, long highWater, long total) {
        Batches b = new Batches();
        b.checkpoint = start;
        progress.start(total);
        // a run that reads the whole range computes the verifier's source side on the way
        b.digest = start.lastId() == start.fromId() - 1 ? new SourceDigest(config.verify()) : null;
        java.util.function.Consumer<ConvertedRow> tap = b.digest == null ? c -> { } : b.digest::accept;
        try (BatchReader reader = new BatchReader(source, deriver, start.lastId(), highWater, config.batch(), tap)) {
            long waitNanos = 0;
            long writeNanos = 0;
            long t = clock.getAsLong();
            for (BatchReader.Batch batch = reader.next(); batch != null; batch = reader.next()) {
                long got = clock.getAsLong();
                waitNanos += got - t;
                apply(b, batch);
                t = clock.getAsLong();
                writeNanos += t - got;
            }
            // which side limits the load: waiting for the reader = SQLite and conversion, writing = PostgreSQL
            LOG.info("load: {} ms waiting for the SQLite reader, {} ms writing to PostgreSQL", waitNanos / 1_000_000,
                    writeNanos / 1_000_000);
        }
        progress.finish(b.copied + b.quarantined);
        return b;
    }

    /** Writes one batch (or, in a dry run, keeps its first quarantined rows) and counts it. */
    private void apply(Batches b, BatchReader.Batch batch) {
        for (MessageRecord m : batch.messages()) {
            b.minMicros = Math.min(b.minMicros, m.timestampMicros());
            b.maxMicros = Math.max(b.maxMicros, m.timestampMicros());
        }
        b.checkpoint = b.checkpoint.advance(batch.lastId(), batch.messages().size(), batch.quarantine().size());
        if (!config.dryRun()) {
            write(batch, b.checkpoint);
        } else if (b.quarantineSeen.size() < config.listLimit()) {
            b.quarantineSeen.addAll(batch.quarantine().subList(0,
                    Math.min(batch.quarantine().size(), config.listLimit() - b.quarantineSeen.size())));
        }
        b.copied += batch.messages().size();
        b.quarantined += batch.quarantine().size();
        b.readings += batch.readings().size();
        progress.update(b.copied + b.quarantined);
        LOG.debug("batch up to id {}: {} rows, {} quarantined", batch.lastId(), batch.messages().size(),
                batch.quarantine().size());
    }

    /** One batch and its checkpoint in one transaction: nothing of a failed batch is committed. */
    private void write(BatchReader.Batch batch, Checkpoint cp) {
        try {
            target.writeBatch("the batch ending at id " + cp.lastId(), batch.messages(), batch.readings(),
                    ledger.batch(batch.quarantine(), cp));
        } catch (TsdbException e) {
            throw new MigrationException(e.getMessage() + "; nothing of it was committed, rerun to continue from id "
                    + cp.fromId(), e);
        }
    }

    private void listQuarantine(List<QuarantinedRow> rows, long total) {
        if (total == 0) {
            out.println("quarantine: no rows");
            return;
        }
        out.printf(Locale.ROOT, "QUARANTINE: %,d row(s) would not fit the target:%n", total);
        for (QuarantinedRow q : rows) {
            out.println("  id " + q.id() + ": " + q.reason());
        }
        if (total > rows.size()) {
            out.printf(Locale.ROOT, "  ... %,d more%n", total - rows.size());
        }
    }

    private void listQuarantine(MigrationLedger l0) {
        QuarantineListing l = l0.quarantineListing(config.listLimit());
        if (l.total() == 0) {
            out.println("quarantine: no rows");
            return;
        }
        out.printf(Locale.ROOT, "QUARANTINE: %,d row(s) kept in table migration_quarantine with their original values:%n",
                l.total());
        l.lines().forEach(s -> out.println("  " + s));
        if (l.total() > l.lines().size()) {
            out.printf(Locale.ROOT, "  ... %,d more (SELECT * FROM migration_quarantine ORDER BY id)%n",
                    l.total() - l.lines().size());
        }
    }
}
