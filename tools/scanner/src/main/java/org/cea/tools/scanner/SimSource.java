package org.cea.tools.scanner;

import java.util.ArrayDeque;
import java.util.function.LongSupplier;
import org.cea.candecode.CanFrame;

/**
 * The facility simulator paced in time: round {@code k} is due {@code k / speed} seconds after
 * the start, its frames spread evenly over the round; {@code speed} 0 means as fast as possible.
 * Frames are stamped with the wall clock when they are emitted.
 */
final class SimSource implements FrameSource {
    private final FacilitySimulator sim;
    private final double speed;
    private final LongSupplier nanoTime;
    private final LongSupplier wallMicros;
    private final ArrayDeque<CanFrame> pending = new ArrayDeque<>();
    private final long startNs;
    private int roundSize;
    private long roundStartNs;

    /**
     * @param speed      simulated seconds per real second (&gt; 0), or 0 for no pacing
     * @param nanoTime   monotonic clock, ns
     * @param wallMicros wall clock, Unix microseconds
     */
    SimSource(FacilitySimulator sim, double speed, LongSupplier nanoTime, LongSupplier wallMicros) {
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("sim speed must be >= 0 (0 = max), was " + speed);
        }
        this.sim = sim;
        this.speed = speed;
        this.nanoTime = nanoTime;
        this.wallMicros = wallMicros;
        this.startNs = nanoTime.getAsLong();
    }

    @Override
    public CanFrame next(long timeoutMs) throws InterruptedException {
        if (pending.isEmpty()) {
            long round = sim.round();
            roundStartNs = speed == 0 ? 0 : startNs + (long) (round * 1e9 / speed);
            pending.addAll(sim.nextRound(0));
            roundSize = pending.size();
            if (roundSize == 0) {
                sleepUntil(roundStartNs + (long) (1e9 / Math.max(speed, 1e-9)), timeoutMs);
                return null;
            }
        }
        if (speed > 0) {
            int index = roundSize - pending.size();
            long due = roundStartNs + (long) (index * 1e9 / speed / roundSize);
            if (!sleepUntil(due, timeoutMs)) {
                return null;
            }
        }
        CanFrame f = pending.poll();
        return new CanFrame(f.id(), f.extended(), f.rtr(), f.error(), f.fd(), f.fdFlags(), f.dlc(), f.data(),
                wallMicros.getAsLong());
    }

    /** Sleeps until {@code dueNs} if that is within the timeout; true when due now. */
    private boolean sleepUntil(long dueNs, long timeoutMs) throws InterruptedException {
        long wait = dueNs - nanoTime.getAsLong();
        if (wait <= 0) {
            return true;
        }
        long max = timeoutMs * 1_000_000L;
        Thread.sleep(Math.min(wait, max) / 1_000_000L, (int) (Math.min(wait, max) % 1_000_000L));
        return wait <= max;
    }

    @Override
    public boolean exhausted() {
        return false;
    }

    @Override
    public long errors() {
        return 0;
    }

    @Override
    public String interfaceName() {
        return "sim0";
    }

    @Override
    public void close() {
        pending.clear();
    }
}
