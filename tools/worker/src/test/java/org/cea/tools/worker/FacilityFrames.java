package org.cea.tools.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cea.candecode.CanFrame;
import org.cea.redisio.StreamSchema;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;

/**
 * Facility frames encoded by hand from DESIGN.md's protocol table (little-endian, id = node << 8 |
 * type, seq in byte 7), so the expected values do not come from the decoder under test.
 */
final class FacilityFrames {
    /** Frames per round of {@link #rounds}. */
    static final int FRAMES_PER_ROUND = 3;
    /** Valid readings per round: PT100 → dry, wet, rh, vpd; BARO → pressure; SCD30 → co2, temp, rh. */
    static final int READINGS_PER_ROUND = 8;

    private FacilityFrames() {
    }

    static CanFrame pt100(int node, int dryCenti, int wetCenti, int status, int seq, long tsMicros) {
        byte[] d = new byte[8];
        le16(d, 0, dryCenti);
        le16(d, 2, wetCenti);
        d[4] = (byte) status;
        d[7] = (byte) seq;
        return CanFrame.standard(node << 8 | 0x01, d, tsMicros);
    }

    static CanFrame baro(int node, int hPaTenths, int tempCenti, int seq, long tsMicros) {
        byte[] d = new byte[8];
        le16(d, 0, hPaTenths);
        le16(d, 2, tempCenti);
        d[7] = (byte) seq;
        return CanFrame.standard(node << 8 | 0x02, d, tsMicros);
    }

    static CanFrame scd30(int node, int co2, int tempCenti, int rhCenti, int seq, long tsMicros) {
        byte[] d = new byte[8];
        le16(d, 0, co2);
        le16(d, 2, tempCenti);
        le16(d, 4, rhCenti);
        d[7] = (byte) seq;
        return CanFrame.standard(node << 8 | 0x03, d, tsMicros);
    }

    /** CO2 of round {@code r} in {@link #rounds}: 900 + r % 50 ppm. */
    static int co2OfRound(int r) {
        return 900 + r % 50;
    }

    /**
     * {@code n} rounds of PT100 (25.00/19.50 °C), BARO (1013.0 hPa) and SCD30 ({@link #co2OfRound}
     * ppm, 24.00 °C, 60.00 %) of one node; frame {@code i} is stamped {@code startMicros + i * stepMicros}.
     */
    static List<CanFrame> rounds(int node, int n, long startMicros, long stepMicros) {
        List<CanFrame> out = new ArrayList<>(n * FRAMES_PER_ROUND);
        long t = startMicros;
        for (int r = 0; r < n; r++) {
            int seq = r & 0xFF;
            out.add(pt100(node, 2500, 1950, 0, seq, t));
            t += stepMicros;
            out.add(baro(node, 10130, 2400, seq, t));
            t += stepMicros;
            out.add(scd30(node, co2OfRound(r), 2400, 6000, seq, t));
            t += stepMicros;
        }
        return out;
    }

    /** XADDs the frames, pipelined in chunks; returns the entry ids. */
    static List<String> xadd(UnifiedJedis jedis, List<CanFrame> frames) {
        List<String> ids = new ArrayList<>(frames.size());
        for (int from = 0; from < frames.size(); from += 1_000) {
            List<Map<String, String>> chunk = new ArrayList<>();
            for (CanFrame f : frames.subList(from, Math.min(frames.size(), from + 1_000))) {
                chunk.add(StreamSchema.toFields(f));
            }
            ids.addAll(xaddFields(jedis, chunk));
        }
        return ids;
    }

    /** XADDs raw field maps in one pipeline. */
    static List<String> xaddFields(UnifiedJedis jedis, List<Map<String, String>> entries) {
        List<redis.clients.jedis.Response<StreamEntryID>> rs = new ArrayList<>();
        try (AbstractPipeline p = jedis.pipelined()) {
            for (Map<String, String> e : entries) {
                rs.add(p.xadd(StreamSchema.STREAM, XAddParams.xAddParams().id(StreamEntryID.NEW_ENTRY), e));
            }
            p.sync();
        }
        return rs.stream().map(r -> r.get().toString()).toList();
    }

    private static void le16(byte[] d, int at, int v) {
        d[at] = (byte) v;
        d[at + 1] = (byte) (v >> 8);
    }
}
