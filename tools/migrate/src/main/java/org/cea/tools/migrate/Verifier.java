package org.cea.tools.migrate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves that the target holds the source: row counts overall and per UTC day, min/max id and time,
 * MD5 checksums per id range over {@link RowDigest canonical rows} computed by SQLite-side Java and
 * by PostgreSQL, the quarantined ids, and a random sample compared field by field. A range whose
 * checksum differs is compared row by row, so an altered, missing or extra row is named with its id
 * and fields. The source pass and the target queries run at the same time.
 */
public final class Verifier {
    private static final Logger LOG = LoggerFactory.getLogger(Verifier.class);
    private static final int MAX_LISTED = 20;
    private static final int MAX_DRILLED_RANGES = 10;
    private static final String TARGET_COLUMNS = "id, " + RowDigest.micros("\"timestamp\"") + ", can_id, node_id,"
            + " message_type, dlc, raw_data, decoded_data::text, " + RowDigest.micros("created_at");

    private final SqliteSource source;
    private final TargetDb target;
    private final VerifyOptions options;

    /**
     * @param source  the legacy database
     * @param target  the migrated database
     * @param options range size, sample size and seed
     */
    public Verifier(SqliteSource source, TargetDb target, VerifyOptions options) {
        this.source = Objects.requireNonNull(source, "source");
        this.target = Objects.requireNonNull(target, "target");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Checksum summary of one id range: ids in {@code [bucket*size, (bucket+1)*size)}. */
    record RangeSum(long bucket, long count, long minId, long maxId, long minTs, long maxTs, long xor) {
    }

    /** Everything one side says about ids {@code fromId..toId}. */
    static final class Side {
        final List<RangeSum> ranges = new ArrayList<>();
        final TreeMap<Long, Long> days = new TreeMap<>();
        long quarantined;
        String quarantineMd5;
        final List<MessageRecord> sample = new ArrayList<>();

        long count() {
            return ranges.stream().mapToLong(RangeSum::count).sum();
        }
    }

    /**
     * Verifies ids {@code fromId..toId}.
     *
     * @param fromId first legacy id migrated
     * @param toId   last legacy id migrated (the checkpoint)
     * @return the report; {@link VerifyReport#ok()} only when everything matches
     */
    public VerifyReport verify(long fromId, long toId) {
        return verify(fromId, toId, null, null);
    }

    /**
     * Verifies ids {@code fromId..toId}, with the source side already computed by a migration run
     * that converted exactly these rows (null: read the source again).
     *
     * @param fromId first legacy id migrated
     * @param toId   last legacy id migrated
     * @param pre     source digest fed every row of the range in id order, or null
     * @param running the target side already started by {@link #startTargetScan}, or null
     * @return the report
     */
    VerifyReport verify(long fromId, long toId, SourceDigest pre, TargetScan running) {
        List<String> problems = new ArrayList<>();
        List<String> info = new ArrayList<>();
        TimescaleState ts = target.timescale();
        info.add(ts.describe());
        if (ts.installedButNotLoaded()) {
            problems.add("TimescaleDB " + ts.installedVersion() + " is installed in the target database but not loaded"
                    + " (shared_preload_libraries = '" + ts.preloadLibraries() + "'): rows in compressed chunks are"
                    + " invisible to queries, so nothing can be verified; add timescaledb to shared_preload_libraries"
                    + " and restart PostgreSQL");
            return new VerifyReport(info, problems);
        }
        TargetScan scan = running != null ? running : startTargetScan(fromId, toId);
        Side src;
        try {
            long t0 = System.nanoTime();
            src = pre != null ? pre.finish() : sourceSide(fromId, toId);
            LOG.info("source checksums and counts in {} ms", (System.nanoTime() - t0) / 1_000_000);
        } finally {
            scan.join();
        }
        Side tgt = scan.side();
        compare(src, tgt, fromId, toId, info, problems);
        return new VerifyReport(info, problems);
    }

    /**
     * Starts the target side (range checksums, per-day counts, quarantined ids) on two connections
     * and threads, each over half of the id ranges, so the checksum expressions use both cores, and
     * so it can run while the main connection finishes the migration (index builds take a SHARE
     * lock, these queries ACCESS SHARE: they do not wait for each other).
     *
     * @return the running scan; {@link #verify(long, long, SourceDigest, TargetScan)} joins it
     */
    TargetScan startTargetScan(long fromId, long toId) {
        long size = options.rangeSize();
        long mid = Math.max(fromId - 1, ((fromId + toId) / 2 / size) * size - 1);
        TargetScan scan = new TargetScan();
        scan.start(0, () -> targetSide(fromId, mid, fromId, toId));
        scan.start(1, () -> targetSide(mid + 1, toId, -1, -1));
        return scan;
    }

    /** The target side running on its own threads. */
    final class TargetScan {
        private final Thread[] threads = new Thread[2];
        private final Side[] parts = new Side[2];
        private final RuntimeException[] errors = new RuntimeException[2];

        private void start(int i, java.util.function.Supplier<Side> work) {
            threads[i] = new Thread(() -> {
                long t0 = System.nanoTime();
                try {
                    parts[i] = work.get();
                    LOG.info("target checksums part {} in {} ms", i + 1, (System.nanoTime() - t0) / 1_000_000);
                } catch (RuntimeException e) {
                    errors[i] = e;
                }
            }, "can-migrate-verify-target-" + (i + 1));
            threads[i].start();
        }

        void join() {
            boolean interrupted = false;
            for (Thread t : threads) {
                while (true) {
                    try {
                        t.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        Side side() {
            join();
            for (RuntimeException e : errors) {
                if (e != null) {
                    throw e;
                }
            }
            Side all = parts[0];
            all.ranges.addAll(parts[1].ranges);
            all.ranges.sort(java.util.Comparator.comparingLong(RangeSum::bucket));
            parts[1].days.forEach((day, n) -> all.days.merge(day, n, Long::sum));
            return all;
        }
    }

    private Side sourceSide(long fromId, long toId) {
        SourceDigest digest = new SourceDigest(options);
        source.forEach(fromId - 1, toId, options.pageSize(), legacy -> digest.accept(RowConverter.convert(legacy)));
        return digest.finish();
    }

    /**
     * The source side of a verification, fed converted rows in id order: by the verifier's own pass
     * over SQLite, or by a migration run that read the whole range itself (so a fresh migration
     * reads the SQLite file once).
     */
    static final class SourceDigest {
        private final VerifyOptions options;
        private final Side side = new Side();
        private final Random random;
        private final MessageDigest qmd = md5();
        private final RangeBuilder ranges;
        private long seen;
        private boolean finished;

        SourceDigest(VerifyOptions options) {
            this.options = options;
            this.random = new Random(options.seed());
            this.ranges = new RangeBuilder(options.rangeSize(), side.ranges);
        }

        void accept(ConvertedRow c) {
            if (c instanceof MessageRecord m) {
                ranges.add(m);
                side.days.merge(Math.floorDiv(m.timestampMicros(), Timestamps.MICROS_PER_DAY), 1L, Long::sum);
                reservoir(m);
            } else {
                qmd.update(((side.quarantined++ == 0 ? "" : ",") + c.id()).getBytes(StandardCharsets.US_ASCII));
            }
        }

        private void reservoir(MessageRecord m) {
            seen++;
            if (side.sample.size() < options.sampleSize()) {
                side.sample.add(m);
            } else {
                long j = (long) (random.nextDouble() * seen);
                if (j < options.sampleSize()) {
                    side.sample.set((int) j, m);
                }
            }
        }

        Side finish() {
            if (!finished) {
                finished = true;
                ranges.finish();
                side.quarantineMd5 = side.quarantined == 0 ? null : HexFormat.of().formatHex(qmd.digest());
            }
            return side;
        }
    }

    /** Accumulates source rows (in id order) into per-range sums. */
    private static final class RangeBuilder {
        private final long size;
        private final List<RangeSum> out;
        private final MessageDigest md = md5();
        private long bucket = Long.MIN_VALUE;
        private long count;
        private long minId;
        private long maxId;
        private long minTs;
        private long maxTs;
        private long xor;

        RangeBuilder(long size, List<RangeSum> out) {
            this.size = size;
            this.out = out;
        }

        void add(MessageRecord m) {
            long b = m.id() / size;
            if (b != bucket) {
                finish();
                bucket = b;
                minId = m.id();
                minTs = Long.MAX_VALUE;
                maxTs = Long.MIN_VALUE;
            }
            xor ^= RowDigest.hash(md, m);
            count++;
            maxId = m.id();
            minTs = Math.min(minTs, m.timestampMicros());
            maxTs = Math.max(maxTs, m.timestampMicros());
        }

        void finish() {
            if (count > 0) {
                out.add(new RangeSum(bucket, count, minId, maxId, minTs, maxTs, xor));
            }
            count = 0;
            xor = 0;
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every Java platform", e);
        }
    }

    /**
     * Checksums and per-day counts of the ranges in {@code [fromId, toId]} on a connection of its
     * own; with {@code countFrom >= 1} also the quarantined ids of {@code [countFrom, countTo]}. The checksum expression is computed below an optimisation fence
     * ({@code OFFSET 0}) so that only narrow rows reach a hash aggregate, instead of whole rows
     * sorted (and spilled to disk) by range.
     */
    private Side targetSide(long fromId, long toId, long countFrom, long countTo) {
        try (TargetDb db = TargetDb.connect(target.url(), null)) {
            return targetSide(db, fromId, toId, countFrom, countTo);
        }
    }

    private Side targetSide(TargetDb db, long fromId, long toId, long countFrom, long countTo) {
        Side side = new Side();
        Connection c = db.connection();
        // t computed once per row below two fences; ranges and UTC days from one scan (grouping sets)
        String ranges = "SELECT b, d, count(*), min(id), max(id), min(t), max(t), bit_xor(h) FROM (SELECT id / ? AS b,"
                + " floor(t / 86400000000.0)::bigint AS d, id, t, " + RowDigest.SQL_HASH_OF_T + " AS h FROM (SELECT *, "
                + RowDigest.micros("\"timestamp\"") + " AS t FROM can_messages WHERE id >= ? AND id <= ? OFFSET 0) x"
                + " OFFSET 0) r GROUP BY GROUPING SETS ((b), (d))";
        String quarantine = "SELECT count(*), md5(string_agg(id::text, ',' ORDER BY id)) FROM migration_quarantine"
                + " WHERE id >= ? AND id <= ?";
        try {
            try (PreparedStatement st = c.prepareStatement("SET LOCAL enable_sort = off")) {
                st.execute();
            }
            try (PreparedStatement ps = c.prepareStatement(ranges)) {
                ps.setLong(1, options.rangeSize());
                ps.setLong(2, fromId);
                ps.setLong(3, toId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long b = rs.getLong(1);
                        if (rs.wasNull()) {
                            side.days.merge(rs.getLong(2), rs.getLong(3), Long::sum);
                        } else {
                            side.ranges.add(new RangeSum(b, rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                                    rs.getLong(7), rs.getLong(8)));
                        }
                    }
                }
            }
            if (countFrom < 1) {
                c.commit();
                return side;
            }
            if (db.hasMigrationTables()) {
                try (PreparedStatement ps = c.prepareStatement(quarantine)) {
                    ps.setLong(1, countFrom);
                    ps.setLong(2, countTo);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        side.quarantined = rs.getLong(1);
                        side.quarantineMd5 = rs.getString(2);
                    }
                }
            }
            c.commit();
            return side;
        } catch (SQLException e) {
            throw new MigrationException("verification queries on " + target.url() + " failed (SQLSTATE "
                    + e.getSQLState() + "): " + e.getMessage(), e);
        }
    }

    private void compare(Side src, Side tgt, long fromId, long toId, List<String> info, List<String> problems) {
        info.add("verified ids " + fromId + ".." + toId + ": source " + src.count() + " rows + " + src.quarantined
                + " quarantined, target " + tgt.count() + " rows + " + tgt.quarantined + " quarantined");
        check(problems, "row count", src.count(), tgt.count());
        check(problems, "quarantined row count", src.quarantined, tgt.quarantined);
        if (!Objects.equals(src.quarantineMd5, tgt.quarantineMd5) && src.quarantined == tgt.quarantined) {
            problems.add("quarantined ids differ (same count " + src.quarantined + "): see table migration_quarantine");
        }
        if (!src.ranges.isEmpty() && !tgt.ranges.isEmpty()) {
            check(problems, "min id", src.ranges.get(0).minId(), tgt.ranges.get(0).minId());
            check(problems, "max id", src.ranges.get(src.ranges.size() - 1).maxId(),
                    tgt.ranges.get(tgt.ranges.size() - 1).maxId());
            check(problems, "min time (µs)", src.ranges.stream().mapToLong(RangeSum::minTs).min().orElse(0),
                    tgt.ranges.stream().mapToLong(RangeSum::minTs).min().orElse(0));
            check(problems, "max time (µs)", src.ranges.stream().mapToLong(RangeSum::maxTs).max().orElse(0),
                    tgt.ranges.stream().mapToLong(RangeSum::maxTs).max().orElse(0));
        }
        compareDays(src.days, tgt.days, info, problems);
        List<Long> badRanges = compareRanges(src.ranges, tgt.ranges, info, problems);
        drillDown(badRanges, problems);
        compareSample(src.sample, info, problems);
    }

    private static void check(List<String> problems, String what, long src, long tgt) {
        if (src != tgt) {
            problems.add(what + ": source " + src + ", target " + tgt);
        }
    }

    private static void compareDays(TreeMap<Long, Long> src, TreeMap<Long, Long> tgt, List<String> info,
                                    List<String> problems) {
        TreeSet<Long> all = new TreeSet<>(src.keySet());
        all.addAll(tgt.keySet());
        int bad = 0;
        for (Long day : all) {
            long s = src.getOrDefault(day, 0L);
            long t = tgt.getOrDefault(day, 0L);
            if (s != t && bad++ < MAX_LISTED) {
                problems.add("rows on " + LocalDate.ofEpochDay(day) + " (UTC): source " + s + ", target " + t);
            }
        }
        if (bad > MAX_LISTED) {
            problems.add("... " + (bad - MAX_LISTED) + " more days with different counts");
        }
        info.add("per-day counts: " + all.size() + " days compared, " + bad + " differ");
    }

    private static List<Long> compareRanges(List<RangeSum> src, List<RangeSum> tgt, List<String> info,
                                            List<String> problems) {
        Map<Long, RangeSum> t = new LinkedHashMap<>();
        tgt.forEach(r -> t.put(r.bucket(), r));
        TreeSet<Long> buckets = new TreeSet<>(t.keySet());
        Map<Long, RangeSum> s = new LinkedHashMap<>();
        src.forEach(r -> s.put(r.bucket(), r));
        buckets.addAll(s.keySet());
        List<Long> bad = new ArrayList<>();
        for (Long b : buckets) {
            RangeSum a = s.get(b);
            RangeSum z = t.get(b);
            if (a == null || z == null || a.count() != z.count() || a.xor() != z.xor()) {
                bad.add(b);
            }
        }
        info.add("checksums: " + buckets.size() + " id ranges compared, " + bad.size() + " differ");
        return bad;
    }

    private void drillDown(List<Long> badRanges, List<String> problems) {
        int listed = 0;
        for (int i = 0; i < badRanges.size(); i++) {
            long b = badRanges.get(i);
            long lo = Math.max(1, b * options.rangeSize());
            long hi = (b + 1) * options.rangeSize() - 1;
            if (i >= MAX_DRILLED_RANGES) {
                problems.add("id range " + lo + ".." + hi + ": checksum differs (not compared row by row)");
                continue;
            }
            Map<Long, MessageRecord> src = new TreeMap<>();
            source.forEach(lo - 1, hi, options.pageSize(), r -> {
                if (RowConverter.convert(r) instanceof MessageRecord m) {
                    src.put(m.id(), m);
                }
            });
            Map<Long, MessageRecord> tgt = fetchTarget("id >= ? AND id <= ?", new Object[] {lo, hi});
            TreeSet<Long> ids = new TreeSet<>(src.keySet());
            ids.addAll(tgt.keySet());
            int before = problems.size();
            for (Long id : ids) {
                String diff = diffRow(src.get(id), tgt.get(id));
                if (diff != null && listed++ < MAX_LISTED * 5) {
                    problems.add("id range " + lo + ".." + hi + ": checksum differs: id " + id + ": " + diff);
                }
            }
            if (problems.size() == before) {
                problems.add("id range " + lo + ".." + hi + ": checksum differs but no row differs field by field"
                        + " (a change of canonical form, e.g. JSON number formatting)");
            }
        }
    }

    private void compareSample(List<MessageRecord> sample, List<String> info, List<String> problems) {
        if (sample.isEmpty()) {
            return;
        }
        Long[] ids = sample.stream().map(MessageRecord::id).toArray(Long[]::new);
        Map<Long, MessageRecord> tgt = fetchTarget("id = ANY(?)", new Object[] {ids});
        int bad = 0;
        for (MessageRecord m : sample) {
            String diff = diffRow(m, tgt.get(m.id()));
            if (diff != null && bad++ < MAX_LISTED) {
                problems.add("sample: id " + m.id() + ": " + diff);
            }
        }
        info.add("random sample (seed " + options.seed() + "): " + sample.size() + " rows compared field by field, "
                + bad + " differ");
    }

    /** Null when equal, else the differing fields with both values. */
    static String diffRow(MessageRecord s, MessageRecord t) {
        if (s == null) {
            return "in the target but not in the source (or quarantined there)";
        }
        if (t == null) {
            return "missing in the target";
        }
        List<String> d = new ArrayList<>();
        field(d, "timestamp", Timestamps.formatUtc(s.timestampMicros()), Timestamps.formatUtc(t.timestampMicros()));
        field(d, "can_id", s.canId(), t.canId());
        field(d, "node_id", s.nodeId(), t.nodeId());
        field(d, "message_type", s.messageType(), t.messageType());
        field(d, "dlc", s.dlc(), t.dlc());
        field(d, "raw_data", s.rawData(), t.rawData());
        field(d, "decoded_data", s.canonicalJson(), t.canonicalJson());
        field(d, "created_at", s.createdAtMicros() == null ? null : Timestamps.formatUtc(s.createdAtMicros()),
                t.createdAtMicros() == null ? null : Timestamps.formatUtc(t.createdAtMicros()));
        return d.isEmpty() ? null : String.join("; ", d);
    }

    private static void field(List<String> d, String name, Object s, Object t) {
        if (!Objects.equals(s, t)) {
            d.add(name + " source " + show(s) + " target " + show(t));
        }
    }

    private static String show(Object v) {
        if (v == null) {
            return "NULL";
        }
        String s = v.toString();
        return "'" + (s.length() > 120 ? s.substring(0, 120) + "…" : s) + "'";
    }

    private Map<Long, MessageRecord> fetchTarget(String where, Object[] args) {
        Connection c = target.connection();
        Map<Long, MessageRecord> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + TARGET_COLUMNS + " FROM can_messages WHERE " + where)) {
            Array array = null;
            if (args.length == 1) {
                array = c.createArrayOf("bigint", (Object[]) args[0]);
                ps.setArray(1, array);
            } else {
                ps.setLong(1, (Long) args[0]);
                ps.setLong(2, (Long) args[1]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    MessageRecord m = targetRow(rs);
                    out.put(m.id(), m);
                }
            } finally {
                if (array != null) {
                    array.free();
                }
            }
            c.commit();
            return out;
        } catch (SQLException e) {
            throw new MigrationException("reading target rows (" + where + ") failed (SQLSTATE " + e.getSQLState()
                    + "): " + e.getMessage(), e);
        }
    }

    private static MessageRecord targetRow(ResultSet rs) throws SQLException {
        long id = rs.getLong(1);
        long ts = rs.getLong(2);
        int canId = rs.getInt(3);
        Integer node = (Integer) rs.getObject(4);
        String type = rs.getString(5);
        int dlc = rs.getInt(6);
        String raw = rs.getString(7);
        String json = rs.getString(8);
        long created = rs.getLong(9);
        Long createdAt = rs.wasNull() ? null : created;
        LOG.debug("target row {}", id);
        return new MessageRecord(id, ts, canId, node, type, dlc, raw == null ? "<NULL>" : raw, json, json, createdAt);
    }
}
