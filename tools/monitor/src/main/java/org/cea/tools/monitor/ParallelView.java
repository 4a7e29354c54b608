package org.cea.tools.monitor;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cea.redisio.ConsistencyStatus;
import org.cea.redisio.ConsistencyStatus.Outcome;

/**
 * The parallel-run section both monitors show: the newest comparison of the legacy SQLite path with
 * the worker's database (bin/can-consistency), its rows per minute on each path and the newest
 * difference it found. Pure functions of a {@link ParallelState}.
 */
final class ParallelView {
    /** A comparison older than this is flagged: the daily timer should have run again by then. */
    static final Duration STALE = Duration.ofHours(26);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT);

    private ParallelView() {
    }

    /**
     * The section's lines.
     *
     * @param p    what was read from {@code consistency:status}
     * @param now  wall-clock Unix ms of the snapshot (the age of the comparison)
     * @param zone time zone for clock times
     * @return two to three lines, without line terminators
     */
    static List<String> render(ParallelState p, long now, ZoneId zone) {
        List<String> out = new ArrayList<>();
        if (p.problem() != null) {
            out.add("parallel run: unknown — " + p.problem());
            return out;
        }
        ConsistencyStatus.Result r = p.result();
        if (r == null) {
            out.add("parallel run: no comparison recorded yet (run bin/can-consistency, or enable cea-consistency.timer)");
            return out;
        }
        long age = now - r.checkedAtMillis();
        String when = "last comparison " + Text.stamp(r.checkedAtMillis(), zone) + " (" + Text.age(age) + " ago)";
        String stale = age > STALE.toMillis() ? " — STALE (none for more than " + STALE.toHours()
                + " h: is cea-consistency.timer enabled?)" : "";
        if (r.outcome() == Outcome.ERROR) {
            out.add("parallel run: ERROR · " + when + stale);
            out.add("  the comparison could not run: " + r.error());
            return out;
        }
        out.add("parallel run: " + r.outcome().name() + " · " + when + " over " + Text.age(r.toMillis() - r.fromMillis())
                + ": " + r.minutesCompared() + " minutes compared, " + r.minutesDiffer() + " differ, "
                + r.minutesOpen() + " open" + stale);
        out.add("  " + perMinute(r, zone));
        out.add("  newest difference: " + (r.newestDifference().isEmpty() ? "none" : r.newestDifference()));
        return out;
    }

    private static String perMinute(ConsistencyStatus.Result r, ZoneId zone) {
        if (r.minutesCompared() == 0 || r.newestMinuteMillis() == null) {
            return "rows per minute: no closed minute compared";
        }
        String newest = MINUTE.format(Instant.ofEpochMilli(r.newestMinuteMillis()).atZone(zone));
        return "rows per minute: legacy " + Text.rate((double) r.legacyRows() / r.minutesCompared()) + " · database "
                + Text.rate((double) r.databaseRows() / r.minutesCompared()) + " on average; newest minute "
                + newest + ": legacy " + r.newestMinuteLegacyRows() + " · database " + r.newestMinuteDatabaseRows();
    }

    /**
     * A monitor's screen with the section placed after its status block (the lines up to the
     * first empty one), followed by an empty line; appended when the screen has no empty line
     * (a DOWN snapshot).
     *
     * @param screen  the monitor's own lines
     * @param section {@link #render}'s lines
     * @return a new list
     */
    static List<String> insert(List<String> screen, List<String> section) {
        int blank = screen.indexOf("");
        List<String> out = new ArrayList<>(screen.size() + section.size() + 1);
        if (blank < 0) {
            out.addAll(screen);
            out.add("");
            out.addAll(section);
            return out;
        }
        out.addAll(screen.subList(0, blank + 1));
        out.addAll(section);
        out.add("");
        out.addAll(screen.subList(blank + 1, screen.size()));
        return out;
    }
}
