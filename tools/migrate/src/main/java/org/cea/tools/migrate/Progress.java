package org.cea.tools.migrate;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long run: on a terminal a bar redrawn in place (rows done/total, rows/s, ETA),
 * otherwise a plain line every interval (journald, CI logs). Driven by the caller's loop: no thread.
 */
public final class Progress {
    private static final long REDRAW_NANOS = 250_000_000L;
    private static final int BAR_WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final long intervalNanos;
    private final LongSupplier clock;
    private long total;
    private long startNanos;
    private long lastPrintNanos;
    private boolean drawn;

    /**
     * @param out             where to print (stderr)
     * @param terminal        draw a bar in place instead of lines
     * @param intervalSeconds seconds between plain lines, &gt;= 1
     * @param clock           monotonic nanoseconds ({@code System::nanoTime})
     */
    public Progress(PrintStream out, boolean terminal, long intervalSeconds, LongSupplier clock) {
        if (intervalSeconds < 1) {
            throw new IllegalArgumentException("intervalSeconds must be >= 1, was " + intervalSeconds);
        }
        this.out = out;
        this.terminal = terminal;
        this.intervalNanos = intervalSeconds * 1_000_000_000L;
        this.clock = clock;
    }

    /** Starts timing a run of {@code total} rows. */
    public void start(long total) {
        this.total = total;
        this.startNanos = clock.getAsLong();
        this.lastPrintNanos = startNanos;
    }

    /** Reports {@code done} rows; prints when the redraw or line interval has passed. */
    public void update(long done) {
        long now = clock.getAsLong();
        if (now - lastPrintNanos < (terminal ? REDRAW_NANOS : intervalNanos)) {
            return;
        }
        lastPrintNanos = now;
        print(done, now);
    }

    /** Prints the final state and ends the bar's line. */
    public void finish(long done) {
        print(done, clock.getAsLong());
        if (terminal && drawn) {
            out.println();
        }
        out.flush();
    }

    private void print(long done, long now) {
        String line = render(done, total, now - startNanos, terminal);
        if (terminal) {
            out.print("\r" + line);
            drawn = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /**
     * One progress line.
     *
     * @param done         rows done
     * @param total        rows to do
     * @param elapsedNanos time since the start
     * @param bar          include a bar
     * @return e.g. {@code [###....] 45.0%  450,000/1,000,000 rows  90,000 rows/s  ETA 0:06}
     */
    public static String render(long done, long total, long elapsedNanos, boolean bar) {
        double fraction = total <= 0 ? 1.0 : Math.min(1.0, (double) done / total);
        double seconds = elapsedNanos / 1e9;
        long rate = seconds <= 0 ? 0 : Math.round(done / seconds);
        String eta = rate <= 0 ? "--:--" : clockText(Math.max(0, total - done) / (double) rate);
        StringBuilder sb = new StringBuilder();
        if (bar) {
            int filled = (int) Math.floor(fraction * BAR_WIDTH);
            sb.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ");
        } else {
            sb.append("progress: ");
        }
        sb.append(String.format(Locale.ROOT, "%5.1f%%  %,d/%,d rows  %,d rows/s  ETA %s",
                fraction * 100, done, total, rate, eta));
        return sb.toString();
    }

    private static String clockText(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
