package org.cea.tools.worker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.cea.candecode.CanFrame;
import org.cea.redisio.ConsumerConfig;
import org.cea.redisio.RedisConfig;
import org.cea.redisio.Spool;
import org.cea.redisio.StreamConsumer;
import org.cea.redisio.StreamPublisher;
import org.cea.redisio.StreamWriterSettings;
import redis.clients.jedis.JedisPooled;

/**
 * Bench helper (scripts/bench-worker.sh): writes facility frames of 4 nodes to {@code can:raw}
 * at a fixed rate, stamped with the current time as the scanner would, through the scanner's own
 * writer ({@link StreamPublisher}: pipelined XADD batches, explicit entry ids), and prints the lag
 * (entries not yet delivered to the worker group) once a second.
 *
 * <p>Usage: {@code BenchFeeder REDIS_URL FRAMES_PER_SECOND SECONDS}. Prints
 * {@code fed=N seconds=S rate=R max_lag=L final_lag=F start_ms=T} (T: Unix ms of the first
 * frame, where the end-to-end rate starts counting).
 */
public final class BenchFeeder {
    private BenchFeeder() {
    }

    public static void main(String[] args) throws Exception {
        RedisConfig rc = RedisConfig.fromUrl(args[0]);
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int tickMs = 20;
        long fed = 0;
        long maxLag = 0;
        int round = 0;
        Path spoolDir = Files.createTempDirectory("bench-feeder-spool");
        try (JedisPooled jedis = new JedisPooled(rc.hostAndPort(), rc.clientConfig());
             Spool spool = Spool.open(spoolDir);
             StreamPublisher publisher = new StreamPublisher(rc, StreamWriterSettings.defaults(), spool, System::nanoTime,
                     System::currentTimeMillis)) {
            long t0 = System.nanoTime();
            long startMs = System.currentTimeMillis();
            long end = t0 + seconds * 1_000_000_000L;
            long nextReport = t0 + 1_000_000_000L;
            while (System.nanoTime() < end) {
                // owed from the clock, not per tick: a tick that ran long (XADD time, a late
                // wake-up) is made up in the next one, so the offered rate is the rate asked for
                long owed = (long) ((System.nanoTime() - t0) / 1e9 * rate) - fed;
                List<CanFrame> frames = new ArrayList<>();
                long now = System.currentTimeMillis() * 1000;
                while (owed >= 1) {
                    // 12 frames per round: PT100, BARO, SCD30 of nodes 1-4, each with its own rolling seq
                    int node = 1 + round % 4;
                    int type = (round / 4) % 3;
                    int seq = (round / 12) & 0xFF;
                    long t = now + frames.size();
                    frames.add(switch (type) {
                        case 0 -> FacilityFrames.pt100(node, 2500, 1950, 0, seq, t);
                        case 1 -> FacilityFrames.baro(node, 10130, 2400, seq, t);
                        default -> FacilityFrames.scd30(node, 900, 2400, 6000, seq, t);
                    });
                    round++;
                    owed--;
                }
                for (CanFrame f : frames) {
                    publisher.add(f);
                }
                publisher.flush();
                fed += frames.size();
                long n = System.nanoTime();
                if (n >= nextReport) {
                    long lag = lag(jedis);
                    maxLag = Math.max(maxLag, lag);
                    System.err.println("t=" + (n - t0) / 1_000_000_000 + "s fed=" + fed + " lag=" + lag);
                    nextReport += 1_000_000_000L;
                }
                long sleep = tickMs - (System.nanoTime() - n) / 1_000_000;
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            long finalLag = lag(jedis);
            System.out.printf(Locale.ROOT, "fed=%d seconds=%.1f rate=%.0f max_lag=%d final_lag=%d start_ms=%d%n", fed,
                    secs, fed / secs, Math.max(maxLag, finalLag), finalLag, startMs);
        } finally {
            try (Stream<Path> files = Files.walk(spoolDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static long lag(JedisPooled jedis) {
        return StreamConsumer.create(jedis, ConsumerConfig.defaults("bench-observer")).lag();
    }
}
