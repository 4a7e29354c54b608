package org.cea.tools.worker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.cea.candecode.CanFrame;
import org.cea.redisio.LiveSubscriber;
import org.cea.redisio.LiveUpdate;
import org.cea.redisio.RedisConfig;
import redis.clients.jedis.JedisPooled;

/**
 * Bench helper (scripts/bench-worker.sh): facility load (4 nodes, each message type once a
 * second: 15 frames/s) written to {@code can:raw} stamped with the time of writing (the
 * scanner's reception time), and the time from that stamp to the live update arriving on
 * {@code sensor:updates:batch}, the channel can-api and cea-automation read (published in the same
 * script that sets the live key), one sample per reading. One second of
 * frames before the measured window warms the probe's own connection and code paths.
 *
 * <p>Usage: {@code LiveLatencyProbe REDIS_URL SECONDS}. Prints {@code samples=N p50_ms= p99_ms= max_ms=}.
 */
public final class LiveLatencyProbe {
    private LiveLatencyProbe() {
    }

    public static void main(String[] args) throws Exception {
        RedisConfig rc = RedisConfig.fromUrl(args[0]);
        int seconds = Integer.parseInt(args[1]);
        ConcurrentLinkedQueue<Double> samples = new ConcurrentLinkedQueue<>();
        ConcurrentHashMap<Long, Long> sentNanos = new ConcurrentHashMap<>();
        LiveSubscriber sub = LiveSubscriber.batches(rc, (List<LiveUpdate> batch) -> {
            long now = System.nanoTime();
            for (LiveUpdate u : batch) {
                Long sent = sentNanos.get(u.tsMillis());
                if (sent != null) {
                    samples.add((now - sent) / 1e6);
                }
            }
        });
        Thread t = new Thread(sub::run, "probe-subscriber");
        t.start();
        while (!sub.isSubscribed()) {
            Thread.sleep(10);
        }
        try (JedisPooled jedis = new JedisPooled(rc.hostAndPort(), rc.clientConfig())) {
            // one unmeasured second first: the probe's first frames pay its own connection set-up and
            // class loading (40-80 ms measured on the first frame), which a running scanner does not
            for (int slot = 0; slot < 15; slot++) {
                FacilityFrames.xadd(jedis, List.of(frame(slot, 0, null)));
                Thread.sleep(1000 / 15);
            }
            int round = 1;
            long t0 = System.nanoTime();
            for (int second = 0; second < seconds; second++) {
                for (int slot = 0; slot < 15; slot++) {
                    long due = t0 + second * 1_000_000_000L + slot * (1_000_000_000L / 15);
                    long wait = (due - System.nanoTime()) / 1_000_000;
                    if (wait > 0) {
                        Thread.sleep(wait);
                    }
                    CanFrame f = frame(slot, round, sentNanos);
                    FacilityFrames.xadd(jedis, List.of(f));
                }
                round++;
            }
            Thread.sleep(500);
        } finally {
            sub.close();
            t.join(5_000);
        }
        List<Double> s = new ArrayList<>(samples);
        Collections.sort(s);
        if (s.isEmpty()) {
            System.out.println("samples=0");
            System.exit(1);
        }
        System.out.printf(java.util.Locale.ROOT, "samples=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f%n", s.size(),
                s.get(s.size() / 2), s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * 0.99) - 1)),
                s.get(s.size() - 1));
    }

    /**
     * Slot 0..14 of a second: nodes 1-3 send PT100, BARO, SCD30, HEARTBEAT; node 4 WATER, LAB, HEARTBEAT.
     * A null {@code sentNanos} makes an unmeasured frame.
     */
    private static CanFrame frame(int slot, int round, ConcurrentHashMap<Long, Long> sentNanos) {
        long ms = System.currentTimeMillis();
        if (sentNanos != null) {
            // one frame per millisecond stamp so each update maps to its frame
            while (sentNanos.containsKey(ms)) {
                ms++;
            }
            sentNanos.put(ms, System.nanoTime());
        }
        long us = ms * 1000;
        int seq = round & 0xFF;
        int node = slot < 12 ? 1 + slot / 4 : 4;
        int kind = slot < 12 ? slot % 4 : slot - 12;
        byte[] hb = {0x10, 0, 0, 0, 1, 0, 0, (byte) seq};
        if (slot < 12) {
            return switch (kind) {
                case 0 -> FacilityFrames.pt100(node, 2500 + round % 10, 1950, 0, seq, us);
                case 1 -> FacilityFrames.baro(node, 10130, 2400, seq, us);
                case 2 -> FacilityFrames.scd30(node, 900 + round % 10, 2400, 6000, seq, us);
                default -> CanFrame.standard(node << 8 | 0x0F, hb, us);
            };
        }
        byte[] water = {(byte) 0x08, 0x07, (byte) 150, 0, 0, 0, 0, (byte) seq};
        byte[] lab = {(byte) 0x34, 0x08, (byte) 0x70, 0x17, 0, 0, 0, (byte) seq};
        return switch (kind) {
            case 0 -> CanFrame.standard(4 << 8 | 0x04, water, us);
            case 1 -> CanFrame.standard(4 << 8 | 0x05, lab, us);
            default -> CanFrame.standard(4 << 8 | 0x0F, hb, us);
        };
    }
}
