package org.cea.tools.consistency;

import java.io.PrintStream;
import java.time.ZoneId;
import java.util.List;
import org.cea.tsdb.DigestRow;

/**
 * The plain report on stdout: what is compared, each differing minute and CAN id with the rows
 * found on one side only, the open minutes, and the summary as the last line. With {@code quiet}
 * only the summary.
 */
final class TextReport implements Report {
    private final PrintStream out;
    private final boolean quiet;
    private final ZoneId zone;
    private final Runnable beforeLine;
    private Header header;

    /**
     * @param out        stdout
     * @param quiet      print the summary line only
     * @param zone       time zone of the times printed
     * @param beforeLine runs before each line (clears a progress bar drawn on the same terminal)
     */
    TextReport(PrintStream out, boolean quiet, ZoneId zone, Runnable beforeLine) {
        this.out = out;
        this.quiet = quiet;
        this.zone = zone;
        this.beforeLine = beforeLine;
    }

    @Override
    public void start(Header h) {
        this.header = h;
        if (quiet) {
            return;
        }
        print("legacy   " + h.legacy() + " (" + h.legacyBackend() + ")");
        print("database " + h.database() + " (" + h.databaseBackend() + ")");
        String open = h.openFromMicros() < h.toMicros()
                ? "; open from " + Format.minute(h.openFromMicros(), zone) : "";
        print("range    " + Format.minute(h.fromMicros(), zone) + " .. " + Format.minute(h.toMicros(), zone) + " ("
                + h.minutes() + " minutes" + open + ")");
    }

    @Override
    public void difference(Difference d) {
        if (quiet) {
            return;
        }
        print("DIFFERS " + Format.head(d, zone));
        if (d.listed()) {
            side("only in legacy", d.onlyLegacyTotal(), d.onlyLegacy());
            side("only in database", d.onlyDatabaseTotal(), d.onlyDatabase());
        } else if (d.note() == null) {
            print("  (rows not listed: --detail differences already listed)");
        }
        if (d.note() != null) {
            print("  note: " + d.note());
        }
    }

    private void side(String label, long total, List<DigestRow> rows) {
        if (total == 0) {
            print("  " + label + ": none");
            return;
        }
        print("  " + label + ": " + Format.rows(total));
        for (DigestRow r : rows) {
            print("    " + Format.row(r, zone));
        }
        if (total > rows.size()) {
            print("    … " + (rows.isEmpty() ? "not listed" : "and " + (total - rows.size()) + " more") + " (see --rows)");
        }
    }

    @Override
    public void open(long minuteMicros, long legacyRows, long databaseRows) {
        if (!quiet && (legacyRows > 0 || databaseRows > 0)) {
            print("open    " + Format.minute(minuteMicros, zone) + ": legacy " + Format.rows(legacyRows) + ", database "
                    + Format.rows(databaseRows) + " (still being written: not compared)");
        }
    }

    @Override
    public void finish(Comparison.Totals t, long elapsedNanos) {
        print(Summary.line(header, t, elapsedNanos, zone));
        out.flush();
    }

    private void print(String line) {
        beforeLine.run();
        out.println(line);
    }
}
