package org.cea.tsdb;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A generated day of facility data (2024-03-10, UTC) with values chosen so that aggregates can be
 * worked out by hand (see the tests). Messages: every minute PT100, BARO and SCD30 from nodes 1-3
 * and WATER and LAB from node 4; a HEARTBEAT from each node every 10 minutes; every hour one
 * unknown standard frame 0x7E0 and one unknown extended frame 0x00000123. Readings every 10 s
 * (sample k = 0..8639 at k*10 s): {@code co2_b = 400 + k mod 60}, {@code dry_bulb_f = 20 + 0.25 *
 * (k mod 120)}, {@code water_temp = 18.5 / 19.5} alternating, and a few sensors with inexact values.
 */
final class FacilityDay {
    static final Instant DAY = Instant.parse("2024-03-10T00:00:00Z");
    static final long DAY_US = Times.micros(DAY, "day");
    static final int SAMPLES = 8640;
    static final String[] TYPES = {"PT100", "BARO", "SCD30", "WATER", "LAB", "HEARTBEAT"};

    private FacilityDay() {
    }

    /** Every message of the day in time order; source ids {@code "<ms>-<n>"}. */
    static List<MessageRow> messages() {
        List<MessageRow> out = new ArrayList<>();
        for (int minute = 0; minute < 1440; minute++) {
            long base = DAY_US + minute * 60_000_000L;
            for (int node = 1; node <= 3; node++) {
                out.add(message(base + node * 100_000L + 123, node, 0x01, "PT100", minute,
                        "{\"temp_dry_c\":23.55,\"temp_wet_c\":18.2,\"status\":0,\"seq\":" + (minute & 0xFF) + "}"));
                out.add(message(base + node * 100_000L + 20_456, node, 0x02, "BARO", minute,
                        "{\"pressure_hpa\":1013.2,\"temp_c\":22.1,\"seq\":" + (minute & 0xFF) + "}"));
                out.add(message(base + node * 100_000L + 40_789, node, 0x03, "SCD30", minute,
                        "{\"co2_ppm\":" + (400 + minute % 60) + ",\"temp_c\":22.4,\"rh_pct\":61.5,\"seq\":" + (minute & 0xFF) + "}"));
            }
            out.add(message(base + 400_000L + 1, 4, 0x04, "WATER", minute,
                    "{\"water_temp_c\":18.5,\"level_pct\":80.5,\"seq\":" + (minute & 0xFF) + "}"));
            out.add(message(base + 400_000L + 2, 4, 0x05, "LAB", minute,
                    "{\"temp_c\":21.0,\"rh_pct\":45.25,\"seq\":" + (minute & 0xFF) + "}"));
            if (minute % 10 == 0) {
                for (int node = 1; node <= 4; node++) {
                    out.add(message(base + 500_000L + node, node, 0x0F, "HEARTBEAT", minute,
                            "{\"uptime_s\":" + minute * 60 + ",\"fw_major\":1,\"fw_minor\":4,\"error_flags\":0}"));
                }
            }
            if (minute % 60 == 0) {
                out.add(new MessageRow(sourceId(base + 600_000L), base + 600_000L, 0x7E0, false, null, null, 2, "DE AD", null));
                out.add(new MessageRow(sourceId(base + 700_000L), base + 700_000L, 0x123, true, null, null, 1, "01", null));
            }
        }
        return out;
    }

    private static MessageRow message(long ts, int node, int type, String name, int seq, String json) {
        int id = node << 8 | type;
        String raw = String.format("%02X %02X 00 00 00 00 00 %02X", node, type, seq & 0xFF);
        return new MessageRow(sourceId(ts), ts, id, false, node, name, 8, raw, json);
    }

    private static String sourceId(long tsMicros) {
        return (tsMicros / 1000) + "-" + (tsMicros % 1000);
    }

    /** Every reading of the day, sample by sample. */
    static List<ReadingRow> readings() {
        List<ReadingRow> out = new ArrayList<>();
        forEachSample((k, t) -> {
            out.add(new ReadingRow(t, "co2_b", 400 + k % 60));
            out.add(new ReadingRow(t, "dry_bulb_f", 20 + 0.25 * (k % 120)));
            out.add(new ReadingRow(t, "water_temp", k % 2 == 0 ? 18.5 : 19.5));
            out.add(new ReadingRow(t, "rh_v", 55 + 0.1 * (k % 7)));
            out.add(new ReadingRow(t, "vpd_v", 0.8 + 0.013 * Math.sin(k / 100.0)));
            out.add(new ReadingRow(t, "pressure_b", 1013.2 - 0.01 * (k % 13)));
        });
        return out;
    }

    static void forEachSample(BiConsumer<Integer, Long> f) {
        for (int k = 0; k < SAMPLES; k++) {
            f.accept(k, DAY_US + k * 10_000_000L);
        }
    }

    /** Writes the day in batches of {@code batch} messages with the readings of the same time span. */
    static void write(Store store, int batch) {
        List<MessageRow> ms = messages();
        List<ReadingRow> rs = readings();
        int r = 0;
        for (int i = 0; i < ms.size(); i += batch) {
            List<MessageRow> part = ms.subList(i, Math.min(ms.size(), i + batch));
            long end = i + batch >= ms.size() ? Long.MAX_VALUE : ms.get(i + batch).timestampMicros();
            int r0 = r;
            while (r < rs.size() && rs.get(r).timeMicros() < end) {
                r++;
            }
            WriteResult w = store.writeBatch(part, rs.subList(r0, r));
            if (w.rejectedCount() != 0 || w.messagesWritten() != part.size() || w.readingsWritten() != r - r0) {
                throw new AssertionError("writing the facility day: " + w);
            }
        }
    }
}
