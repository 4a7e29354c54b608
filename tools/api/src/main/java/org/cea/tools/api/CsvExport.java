package org.cea.tools.api;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.cea.tsdb.ReadingRow;
import org.cea.tsdb.Store;
import org.cea.tsdb.StoredMessage;

/**
 * CSV (RFC 4180, UTF-8, CRLF line ends) of stored rows, written as the database cursor hands them
 * over, so a year of readings never sits in memory. Values are the database's, not rounded; times
 * are UTC ISO-8601 with the stored microseconds.
 */
final class CsvExport {
    /** Header of a readings export. */
    static final String READINGS_HEADER = "time,sensor,value";
    /** Header of a {@code can_messages} export. */
    static final String MESSAGES_HEADER = "id,timestamp,can_id,extended,node_id,message_type,dlc,raw_data,decoded_data,source_id";
    private static final int BUFFER = 64 * 1024;

    private CsvExport() {
    }

    /** Streams the readings of {@code sensors} in {@code [from, to)}; returns the rows written. */
    static long readings(Store store, List<String> sensors, Instant from, Instant to, OutputStream out) throws IOException {
        Writer w = writer(out);
        w.write(READINGS_HEADER + "\r\n");
        StringBuilder line = new StringBuilder(64);
        long n = unchecked(() -> store.exportReadings(sensors, from, to, (ReadingRow r) -> {
            line.setLength(0);
            line.append(time(r.timeMicros())).append(',').append(r.sensor()).append(',').append(r.value()).append("\r\n");
            write(w, line);
        }));
        w.flush();
        return n;
    }

    /** Streams the {@code can_messages} rows in {@code [from, to)}; returns the rows written. */
    static long messages(Store store, Instant from, Instant to, OutputStream out) throws IOException {
        Writer w = writer(out);
        w.write(MESSAGES_HEADER + "\r\n");
        StringBuilder line = new StringBuilder(160);
        long n = unchecked(() -> store.exportMessages(from, to, (StoredMessage m) -> {
            line.setLength(0);
            line.append(m.id()).append(',').append(time(m.timestampMicros())).append(',')
                    .append(String.format(m.extended() ? "0x%08X" : "0x%03X", m.canId())).append(',').append(m.extended())
                    .append(',').append(m.nodeId() == null ? "" : m.nodeId().toString()).append(',');
            field(line, m.messageType()).append(',').append(m.dlc()).append(',');
            field(line, m.rawData()).append(',');
            field(line, m.decodedJson()).append(',');
            field(line, m.sourceId()).append("\r\n");
            write(w, line);
        }));
        w.flush();
        return n;
    }

    private static Writer writer(OutputStream out) {
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), BUFFER);
    }

    /** UTC ISO-8601 of Unix microseconds. */
    static String time(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L).toString();
    }

    /** A CSV field: empty for null, quoted (quotes doubled) when it holds a comma, quote or line break. */
    static StringBuilder field(StringBuilder b, String v) {
        if (v == null) {
            return b;
        }
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return b.append(v);
        }
        return b.append('"').append(v.replace("\"", "\"\"")).append('"');
    }

    private static void write(Writer w, CharSequence s) {
        try {
            w.append(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Export {
        long run();
    }

    /** The sink's write failures (a client that went away) come back as the IOException they were. */
    private static long unchecked(Export e) throws IOException {
        try {
            return e.run();
        } catch (UncheckedIOException u) {
            throw u.getCause();
        }
    }
}
