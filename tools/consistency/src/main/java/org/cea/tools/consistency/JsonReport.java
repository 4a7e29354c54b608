package org.cea.tools.consistency;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.cea.tsdb.DigestRow;

/**
 * The {@code --json} report on stdout, one JSON object written as the comparison goes (differences
 * are streamed, so a long range with many differences needs no memory): {@code legacy},
 * {@code database}, the range, {@code differences} (each with the rows found on one side only),
 * {@code open} (minutes still being written), then the totals and {@code summary}.
 */
final class JsonReport implements Report {
    /** Open minutes listed at most (the newest are the interesting ones; the count is always given). */
    static final int MAX_OPEN_LISTED = 100;

    private final PrintStream out;
    private final JsonWriter json;
    private final ZoneId zone;
    private final List<long[]> open = new ArrayList<>();
    private Header header;

    /** @param out stdout; @param zone zone of the summary line */
    JsonReport(PrintStream out, ZoneId zone) {
        this.out = out;
        this.json = new JsonWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        this.json.setIndent("  ");
        this.json.setSerializeNulls(true);
        this.zone = zone;
    }

    @Override
    public void start(Header h) {
        this.header = h;
        write(() -> {
            json.beginObject();
            json.name("legacy").beginObject().name("url").value(h.legacy()).name("backend").value(h.legacyBackend().name())
                    .endObject();
            json.name("database").beginObject().name("url").value(h.database()).name("backend")
                    .value(h.databaseBackend().name()).endObject();
            time("from", h.fromMicros());
            time("to", h.toMicros());
            time("open_from", h.openFromMicros());
            json.name("differences").beginArray();
        });
    }

    @Override
    public void difference(Difference d) {
        write(() -> {
            json.beginObject();
            time("minute", d.minuteMicros());
            json.name("can_id").value(d.canId()).name("can_id_hex").value(Format.canId(d.canId()));
            json.name("legacy_rows").value(d.legacyRows()).name("database_rows").value(d.databaseRows());
            json.name("listed").value(d.listed());
            side("only_in_legacy", d.listed(), d.onlyLegacyTotal(), d.onlyLegacy());
            side("only_in_database", d.listed(), d.onlyDatabaseTotal(), d.onlyDatabase());
            json.name("note").value(d.note());
            json.endObject();
        });
    }

    private void side(String name, boolean listed, long total, List<DigestRow> rows) throws IOException {
        json.name(name);
        if (!listed) {
            json.nullValue();
            return;
        }
        json.beginObject().name("total").value(total).name("rows").beginArray();
        for (DigestRow r : rows) {
            json.beginObject().name("timestamp").value(Format.iso(r.timestampMicros()))
                    .name("timestamp_us").value(r.timestampMicros()).name("can_id").value(r.canId())
                    .name("dlc").value(r.dlc()).name("raw_data").value(r.rawData()).endObject();
        }
        json.endArray().endObject();
    }

    @Override
    public void open(long minuteMicros, long legacyRows, long databaseRows) {
        if (legacyRows > 0 || databaseRows > 0) {
            open.add(new long[] {minuteMicros, legacyRows, databaseRows});
            if (open.size() > MAX_OPEN_LISTED) {
                open.remove(0);
            }
        }
    }

    @Override
    public void finish(Comparison.Totals t, long elapsedNanos) {
        write(() -> {
            json.endArray();
            json.name("open").beginArray();
            for (long[] o : open) {
                json.beginObject();
                time("minute", o[0]);
                json.name("legacy_rows").value(o[1]).name("database_rows").value(o[2]).endObject();
            }
            json.endArray();
            json.name("result").value(t.equal() ? "equal" : "differ");
            json.name("minutes").beginObject().name("compared").value(t.minutesCompared)
                    .name("equal").value(t.minutesCompared - t.minutesDiffer).name("differ").value(t.minutesDiffer)
                    .name("open").value(t.minutesOpen).endObject();
            json.name("differences_total").value(t.differences);
            json.name("rows").beginObject().name("legacy").value(t.legacyRows).name("database").value(t.databaseRows)
                    .endObject();
            json.name("open_rows").beginObject().name("legacy").value(t.openLegacyRows).name("database")
                    .value(t.openDatabaseRows).endObject();
            json.name("newest_minute");
            if (t.newestMinute < 0) {
                json.nullValue();
            } else {
                json.beginObject();
                time("minute", t.newestMinute);
                json.name("legacy_rows").value(t.newestMinuteLegacyRows).name("database_rows")
                        .value(t.newestMinuteDatabaseRows).endObject();
            }
            json.name("duration_ms").value(elapsedNanos / 1_000_000);
            json.name("summary").value(Summary.line(header, t, elapsedNanos, zone));
            json.endObject();
            json.flush();
            out.println();
            out.flush();
        });
    }

    /** {@code name}: ISO text, and {@code name_ms}: Unix ms. */
    private void time(String name, long micros) throws IOException {
        json.name(name).value(Format.iso(micros)).name(name + "_ms").value(Math.floorDiv(micros, 1000));
    }

    /** A piece of JSON output. */
    @FunctionalInterface
    private interface Write {
        void run() throws IOException;
    }

    private void write(Write w) {
        try {
            w.run();
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the JSON report to stdout failed", e);
        }
    }
}
