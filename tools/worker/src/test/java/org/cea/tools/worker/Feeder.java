package org.cea.tools.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.cea.candecode.CanFrame;
import org.cea.testsupport.Processes;
import redis.clients.jedis.UnifiedJedis;

/**
 * Plays the scanner for the fault tests: every {@code tickMs} it XADDs {@code roundsPerTick}
 * rounds of node 1 frames stamped with the current time (as the scanner stamps reception), until
 * {@link #stop()} or {@code maxRounds}.
 */
final class Feeder implements AutoCloseable {
    private final UnifiedJedis jedis;
    private final int roundsPerTick;
    private final long tickMs;
    private final int maxRounds;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger rounds = new AtomicInteger();
    private final AtomicLong lastCo2Millis = new AtomicLong();
    private final Thread thread;
    private int nextRound;
    private long lastMicros;

    Feeder(UnifiedJedis jedis, int firstRound, int roundsPerTick, long tickMs, int maxRounds) {
        this.jedis = jedis;
        this.nextRound = firstRound;
        this.roundsPerTick = roundsPerTick;
        this.tickMs = tickMs;
        this.maxRounds = maxRounds;
        this.thread = new Thread(this::loop, "test-feeder");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (!stop.get() && rounds.get() < maxRounds) {
            int n = Math.min(roundsPerTick, maxRounds - rounds.get());
            List<CanFrame> frames = new ArrayList<>();
            long now = Math.max(System.currentTimeMillis() * 1000, lastMicros + 1);
            for (int i = 0; i < n; i++) {
                int r = nextRound + i;
                long t = now + i * 3L;
                frames.add(FacilityFrames.pt100(1, 2500, 1950, 0, r & 0xFF, t));
                frames.add(FacilityFrames.baro(1, 10130, 2400, r & 0xFF, t + 1));
                frames.add(FacilityFrames.scd30(1, FacilityFrames.co2OfRound(r), 2400, 6000, r & 0xFF, t + 2));
                lastMicros = t + 2;
            }
            FacilityFrames.xadd(jedis, frames);
            nextRound += n;
            lastCo2Millis.set(lastMicros / 1000);
            rounds.addAndGet(n);
            Processes.sleep(tickMs);
        }
    }

    /** Rounds written so far (3 frames each). */
    int rounds() {
        return rounds.get();
    }

    /** Timestamp (Unix ms) of the newest SCD30 frame written. */
    long lastCo2Millis() {
        return lastCo2Millis.get();
    }

    /** The round number the next feeder should start at. */
    int nextRound() {
        return nextRound;
    }

    void stop() {
        stop.set(true);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until {@code maxRounds} were written. */
    void awaitDone(long timeoutMs) {
        try {
            thread.join(timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new AssertionError("feeder did not finish within " + timeoutMs + " ms");
        }
    }

    @Override
    public void close() {
        stop();
    }
}
