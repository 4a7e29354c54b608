package org.cea.tools.consistency;

import java.io.PrintStream;
import java.time.ZoneId;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long comparison on stderr: on a terminal a bar redrawn in place (how far through
 * the range, rows read per side, rows/s, ETA); elsewhere a plain line every interval, or nothing
 * when the interval is 0. Driven by the comparison's chunks: no thread.
 */
final class Progress {
    private static final long REDRAW_NANOS = 250_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintStream err;
    private final boolean terminal;
    private final long intervalNanos;
    private final LongSupplier nanos;
    private final ZoneId zone;
    private long from;
    private long to;
    private long start;
    private long last;
    private int drawn;

    /**
     * @param err             stderr
     * @param terminal        draw a bar in place
     * @param intervalSeconds seconds between plain lines when not on a terminal, 0 for none
     * @param nanos           monotonic clock
     * @param zone            zone of the time shown
     */
    Progress(PrintStream err, boolean terminal, long intervalSeconds, LongSupplier nanos, ZoneId zone) {
        this.err = err;
        this.terminal = terminal;
        this.intervalNanos = intervalSeconds * 1_000_000_000L;
        this.nanos = nanos;
        this.zone = zone;
    }

    /** Starts timing a comparison of {@code [fromMicros, toMicros)}. */
    void start(long fromMicros, long toMicros) {
        this.from = fromMicros;
        this.to = toMicros;
        this.start = nanos.getAsLong();
        this.last = start;
    }

    /** The comparison has covered everything before {@code doneMicros}. */
    void update(long doneMicros, Comparison.Totals t) {
        if (!terminal && intervalNanos == 0) {
            return;
        }
        long now = nanos.getAsLong();
        if (now - last < (terminal ? REDRAW_NANOS : intervalNanos)) {
            return;
        }
        last = now;
        long rows = t.legacyRows + t.openLegacyRows + t.databaseRows + t.openDatabaseRows;
        String line = render(doneMicros, rows, now - start);
        if (terminal) {
            clear();
            err.print(line);
            drawn = line.length();
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Removes a drawn bar so a line can be printed on the terminal; nothing otherwise. */
    void clear() {
        if (drawn > 0) {
            err.print("\r" + " ".repeat(drawn) + "\r");
            err.flush();
            drawn = 0;
        }
    }

    /**
     * One progress line.
     *
     * @param doneMicros   covered up to here
     * @param rows         rows read on both sides together
     * @param elapsedNanos since the start
     * @return e.g. {@code [##########..............] 41.7%  up to 2026-11-26 10:00+00:00  600,000 rows per side  200,000 rows/s per side  ETA 0:04}
     */
    String render(long doneMicros, long rows, long elapsedNanos) {
        double fraction = to <= from ? 1.0 : Math.min(1.0, (double) (doneMicros - from) / (to - from));
        double seconds = elapsedNanos / 1e9;
        long rate = seconds <= 0 ? 0 : Math.round(rows / 2.0 / seconds);
        String eta = fraction <= 0 ? "--:--" : clock(seconds / fraction - seconds);
        StringBuilder sb = new StringBuilder();
        if (terminal) {
            int filled = (int) Math.floor(fraction * BAR_WIDTH);
            sb.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ");
        } else {
            sb.append("can-consistency: progress ");
        }
        return sb.append(String.format(Locale.ROOT, "%5.1f%%  up to %s  %,d rows per side  %,d rows/s per side  ETA %s",
                fraction * 100, Format.minute(doneMicros, zone), rows / 2, rate, eta)).toString();
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
