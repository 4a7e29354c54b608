package org.cea.tools.migrate;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cea.tools.migrate.VerifySide.RangeSum;
import org.cea.tsdb.BulkLoader;
import org.cea.tsdb.TimescaleState;
import org.cea.tsdb.Times;
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

    private final SqliteSource source;
    private final BulkLoader target;
    private final VerifyOptions options;

    /**
     * @param source  the legacy database
     * @param target  the migrated database
     * @param options range size, sample size and seed
     */
    public Verifier(SqliteSource source, BulkLoader target, VerifyOptions options) {
        this.source = Objects.requireNonNull(source, "source");
        this.target = Objects.requireNonNull(target, "target");
        this.options = Objects.requireNonNull(options, "options");
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
        VerifySide src;
        try {
            long t0 = System.nanoTime();
            src = pre != null ? pre.finish() : sourceSide(fromId, toId);
            LOG.info("source checksums and counts in {} ms", (System.nanoTime() - t0) / 1_000_000);
        } finally {
            scan.join();
        }
        VerifySide tgt = scan.side();
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
        return TargetScan.start(target, options, fromId, toId);
    }

    private VerifySide sourceSide(long fromId, long toId) {
        SourceDigest digest = new SourceDigest(options);
        source.forEach(fromId - 1, toId, options.pageSize(), legacy -> digest.accept(RowConverter.convert(legacy)));
        return digest.finish();
    }

    private void compare(VerifySide src, VerifySide tgt, long fromId, long toId, List<String> info, List<String> problems) {
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
            Map<Long, MessageRecord> tgt = TargetScan.rows(target, lo, hi);
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
        Map<Long, MessageRecord> tgt = TargetScan.rows(target, ids);
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
        field(d, "timestamp", Times.formatUtc(s.timestampMicros()), Times.formatUtc(t.timestampMicros()));
        field(d, "can_id", s.canId(), t.canId());
        field(d, "node_id", s.nodeId(), t.nodeId());
        field(d, "message_type", s.messageType(), t.messageType());
        field(d, "dlc", s.dlc(), t.dlc());
        field(d, "raw_data", s.rawData(), t.rawData());
        field(d, "decoded_data", s.canonicalJson(), t.canonicalJson());
        field(d, "created_at", s.createdAtMicros() == null ? null : Times.formatUtc(s.createdAtMicros()),
                t.createdAtMicros() == null ? null : Times.formatUtc(t.createdAtMicros()));
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


}
