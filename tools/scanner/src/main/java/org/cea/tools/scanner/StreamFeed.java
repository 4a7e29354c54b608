package org.cea.tools.scanner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cea.candecode.CanFrame;
import org.cea.redisio.StreamPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Body of the {@code scanner-stream} thread: takes raw frames from the source loop's queue and
 * hands them to the stream (and debug) sinks, polls them when due, and at the end of a finite run
 * gives frames spooled while Redis was down up to {@code --drain-timeout} to reach it. Closes the
 * sinks when it ends; a sink failure sets the run's failure flag, which stops the source loop.
 */
final class StreamFeed implements Runnable {
    /** The scanner's logger: these lines were the scanner's before the split, and log filters name it. */
    private static final Logger LOG = LoggerFactory.getLogger(Scanner.class);
    /** Frames the stream thread takes from the queue at once before it polls the sinks. */
    private static final int STREAM_CHUNK = 4096;
    /** Put on the queue by the source loop when it ends; compared by identity. */
    static final CanFrame END_FRAME = CanFrame.standard(0, new byte[0], 0);

    private final BlockingQueue<CanFrame> queue;
    private final List<FrameSink> sinks;
    private final StreamPublisher publisher;
    private final Path spoolFile;
    private final ScannerOptions opt;
    private final AtomicBoolean stop;
    private final AtomicBoolean failed;

    /**
     * @param publisher the stream sink's publisher (also in {@code sinks}), or null without Redis
     * @param spoolFile its spool file, for the log line; null without Redis
     * @param stop      set by a signal: cuts the end-of-run spool wait short
     * @param failed    set here when a sink fails
     */
    StreamFeed(BlockingQueue<CanFrame> queue, List<FrameSink> sinks, StreamPublisher publisher, Path spoolFile,
               ScannerOptions opt, AtomicBoolean stop, AtomicBoolean failed) {
        this.queue = queue;
        this.sinks = sinks;
        this.publisher = publisher;
        this.spoolFile = spoolFile;
        this.opt = opt;
        this.stop = stop;
        this.failed = failed;
    }

    @Override
    public void run() {
        try {
            feed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("stream thread failed: {}", e.getMessage(), e);
            failed.set(true);
        } finally {
            closeSinks();
        }
    }

    private void feed() throws InterruptedException {
        // drainTo takes the queue's lock once per chunk instead of once per frame: at max-speed
        // replay the per-frame poll contended with the source thread's put (bench-scanner.sh)
        List<CanFrame> chunk = new ArrayList<>(STREAM_CHUNK);
        boolean end = false;
        while (!end) {
            long wait = 1_000_000_000L;
            for (FrameSink s : sinks) {
                wait = Math.min(wait, s.nanosUntilDue());
            }
            CanFrame first = wait <= 0 ? queue.poll() : queue.poll(wait, TimeUnit.NANOSECONDS);
            if (first != null) {
                chunk.add(first);
                queue.drainTo(chunk, STREAM_CHUNK - 1);
                end = deliver(chunk, sinks);
                chunk.clear();
                if (end) {
                    drainSpool();
                }
            }
            pollSinks();
        }
    }

    private void pollSinks() {
        for (FrameSink s : sinks) {
            s.poll();
        }
    }

    private void closeSinks() {
        for (FrameSink s : sinks) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.error("closing {} failed: {}", s, e.getMessage(), e);
                failed.set(true);
            }
        }
    }

    /**
     * The end of a finite run (not a signal): frames spooled while Redis was down get up to
     * {@code --drain-timeout} to reach it. A signal cuts the wait short (systemd's stop budget).
     */
    private void drainSpool() throws InterruptedException {
        StreamPublisher p = publisher;
        if (p == null || stop.get() || opt.drainTimeoutMs() == 0) {
            return;
        }
        p.flush();
        if (p.stats().spoolDepth() == 0) {
            return;
        }
        LOG.info("end of {} with {} frames spooled in {} (Redis unreachable): waiting up to {} ms for Redis",
                opt.source(), p.stats().spoolDepth(), spoolFile, opt.drainTimeoutMs());
        long deadline = System.nanoTime() + opt.drainTimeoutMs() * 1_000_000L;
        while (p.stats().spoolDepth() > 0 && !stop.get() && System.nanoTime() - deadline < 0) {
            long wait = Math.min(p.nanosUntilDue(), Math.min(100_000_000L, deadline - System.nanoTime()));
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            pollSinks();
        }
    }

    /**
     * Hands a chunk to every sink; true when it held the end marker. A method of its own so that
     * the JIT compiles the per-frame path once, normally, instead of inside two on-stack
     * replacements of the long-running loop (bench-scanner.sh: less C2 time in the first seconds).
     */
    private static boolean deliver(List<CanFrame> chunk, List<FrameSink> sinks) {
        for (CanFrame f : chunk) {
            if (f == END_FRAME) {
                return true;
            }
            for (FrameSink s : sinks) {
                s.add(f);
            }
        }
        return false;
    }
}
