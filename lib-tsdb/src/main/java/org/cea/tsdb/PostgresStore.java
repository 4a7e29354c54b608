package org.cea.tsdb;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL or TimescaleDB ({@code cea_sensors}): the queries, over one {@link PostgresSession}
 * (the connection, its transactions and the retry after a server restart). Batches are written by
 * {@link PostgresBatchWriter} (COPY, staging on a replay, row-by-row isolation of refused rows);
 * what the database offers is found by {@link PostgresSchema} when the store opens.
 */
final class PostgresStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);
    private static final String MICROS = "(extract(epoch FROM %s) * 1000000)::bigint";

    private final StoreUrl url;
    private final PostgresSession session;
    private final PostgresBatchWriter writer;
    private volatile Backend backend;
    private PostgresHistory history;

    private PostgresStore(StoreUrl url) {
        this.url = url;
        this.session = new PostgresSession(url);
        this.writer = new PostgresBatchWriter(url);
    }

    static PostgresStore open(StoreUrl url) {
        PostgresStore s = new PostgresStore(url);
        try {
            s.session.run("opening", c -> {
                s.found(PostgresSchema.ensure(c, url));
                return null;
            });
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        LOG.info("opened {} store {}", s.backend, url);
        return s;
    }

    static Backend applySchema(StoreUrl url) {
        try (PostgresStore s = new PostgresStore(url)) {
            s.session.run("applying the schema", c -> {
                PostgresSchema.applyScript(c);
                s.found(PostgresSchema.detect(c, url));
                return null;
            });
            return s.backend;
        }
    }

    private void found(PostgresSchema.Found f) {
        backend = f.backend();
        history = f.history();
    }

    @Override
    public WriteResult writeBatch(List<MessageRow> messages, List<ReadingRow> readings) {
        BatchRows rows = new BatchRows(messages, readings);
        int[] counts = run("writing a batch of " + rows.messages.size() + " messages and " + rows.readings.size()
                + " readings", c -> writer.write(c, rows));
        if (!rows.rejected.isEmpty()) {
            LOG.warn("batch on {}: {} rows rejected, first: {}", url, rows.rejected.size(), rows.rejected.get(0).describe());
        }
        return new WriteResult(counts[0], counts[1], counts[2], counts[3], rows.rejected);
    }

    @Override
    public List<HistoryPoint> history(String sensor, Instant from, Instant to, int maxPoints) {
        Times.checkHistoryArgs(sensor, maxPoints);
        long[] w = Times.window(from, to);
        long width = Buckets.width(w[0], w[1], maxPoints);
        return run("history of " + sensor + " " + from + ".." + to, c -> {
            List<HistoryPoint> out = new ArrayList<>();
            try (PreparedStatement ps = history.prepare(c, sensor, w[0], w[1], width); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new HistoryPoint(Times.instant(rs.getLong(1)), rs.getDouble(2), rs.getDouble(3),
                            rs.getDouble(4), rs.getLong(5)));
                }
            }
            return out;
        });
    }

    @Override
    public List<StoredMessage> recentMessages(MessageQuery q) {
        return run("recent messages " + q, c -> MessageQuerySql.recent(c, q, MessageColumns.POSTGRES));
    }

    @Override
    public boolean holdsStreamRows() {
        // served by the unique (source_id, timestamp) index: no scan of the legacy rows
        return run("looking for rows written from the stream", c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT EXISTS (SELECT 1 FROM can_messages WHERE source_id IS NOT NULL)")) {
                return rs.next() && rs.getBoolean(1);
            }
        });
    }

    @Override
    public Map<String, Long> countsByType(Instant from, Instant to) {
        Times.window(from, to);
        return run("counts by type " + from + ".." + to, c -> {
            Map<String, Long> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT message_type, count(*) FROM can_messages"
                    + " WHERE timestamp >= ? AND timestamp < ? GROUP BY message_type")) {
                ps.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
                ps.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String type = rs.getString(1);
                        out.merge(type == null ? UNKNOWN_TYPE : type, rs.getLong(2), Long::sum);
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Map<String, ReadingRow> latestPerSensor() {
        // skip scan over the (sensor, time) index: one index probe per sensor instead of a full scan
        String sql = "WITH RECURSIVE s(sensor) AS (SELECT min(sensor) FROM sensor_readings"
                + " UNION ALL SELECT (SELECT min(r.sensor) FROM sensor_readings r WHERE r.sensor > s.sensor)"
                + " FROM s WHERE s.sensor IS NOT NULL)"
                + " SELECT l.sensor, " + String.format(MICROS, "l.time") + ", l.value FROM s CROSS JOIN LATERAL"
                + " (SELECT r.sensor, r.time, r.value FROM sensor_readings r WHERE r.sensor = s.sensor"
                + " ORDER BY r.time DESC LIMIT 1) l WHERE s.sensor IS NOT NULL";
        return run("latest value per sensor", c -> {
            Map<String, ReadingRow> out = new TreeMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    out.put(rs.getString(1), new ReadingRow(rs.getLong(2), rs.getString(1), rs.getDouble(3)));
                }
            }
            return out;
        });
    }

    /** Rows per round trip of an export's cursor. */
    private static final int EXPORT_FETCH = 5_000;

    @Override
    public long exportReadings(List<String> sensors, Instant from, Instant to, java.util.function.Consumer<ReadingRow> sink) {
        long[] w = Times.window(from, to);
        Exports.checkSensors(sensors);
        String sql = "SELECT " + String.format(MICROS, "time") + ", value FROM sensor_readings"
                + " WHERE sensor = ? AND time >= ? AND time < ? ORDER BY time";
        return stream("export of " + sensors.size() + " sensors " + from + ".." + to, c -> {
            long n = 0;
            for (String sensor : sensors) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setFetchSize(EXPORT_FETCH);
                    ps.setString(1, sensor);
                    ps.setObject(2, at(w[0]));
                    ps.setObject(3, at(w[1]));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            sink.accept(new ReadingRow(rs.getLong(1), sensor, rs.getDouble(2)));
                            n++;
                        }
                    }
                }
            }
            return n;
        });
    }

    @Override
    public long exportMessages(Instant from, Instant to, java.util.function.Consumer<StoredMessage> sink) {
        long[] w = Times.window(from, to);
        String sql = MessageColumns.POSTGRES.select + " WHERE timestamp >= ? AND timestamp < ? ORDER BY timestamp, id";
        return stream("export of can_messages " + from + ".." + to, c -> {
            long n = 0;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(EXPORT_FETCH);
                ps.setObject(1, at(w[0]));
                ps.setObject(2, at(w[1]));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(MessageColumns.POSTGRES.row(rs));
                        n++;
                    }
                }
            }
            return n;
        });
    }

    @Override
    public List<Summary> summarize(String sensor, List<SummaryWindow> windows) {
        Times.checkHistoryArgs(sensor, 1);
        return run("summary of " + sensor + " over " + windows.size() + " windows", c -> {
            PostgresSummaries.Aggregates aggs = history.summaryAggregates();
            if (aggs != null) {
                return PostgresSummaries.summarize(c, sensor, windows, aggs);
            }
            List<Summary> out = new ArrayList<>(windows.size());
            try (PreparedStatement ps = c.prepareStatement(Exports.SUMMARY)) {
                for (SummaryWindow w : windows) {
                    ps.setDouble(1, w.bandMin() == null ? Exports.NO_MIN : w.bandMin());
                    ps.setDouble(2, w.bandMax() == null ? Exports.NO_MAX : w.bandMax());
                    ps.setString(3, sensor);
                    ps.setObject(4, at(Times.micros(w.from(), "from")));
                    ps.setObject(5, at(Times.micros(w.to(), "to")));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        out.add(Exports.summary(w, rs));
                    }
                }
            }
            return out;
        });
    }

    private static OffsetDateTime at(long micros) {
        return OffsetDateTime.ofInstant(Times.instant(micros), ZoneOffset.UTC);
    }

    private <T> T run(String op, PostgresSession.Work<T> work) {
        return session.run(op, work);
    }

    private long stream(String op, PostgresSession.Work<Long> work) {
        return session.stream(op, work);
    }

    @Override
    public JobHealth.Report jobHealth() {
        if (backend != Backend.TIMESCALEDB) {
            return JobHealth.notApplicable("plain PostgreSQL (no TimescaleDB extension): no scheduled jobs", Instant.now());
        }
        return run("reading the TimescaleDB job stats", Jobs::read);
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public void close() {
        session.close();
    }

    @Override
    public String toString() {
        return "PostgresStore[" + url + ", " + backend + "]";
    }
}
