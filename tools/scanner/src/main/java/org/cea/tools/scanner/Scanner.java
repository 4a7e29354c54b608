package org.cea.tools.scanner;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.cea.candecode.CanFrame;
import org.cea.candecode.DecodeResult;
import org.cea.candecode.FrameDecoder;
import org.cea.candecode.UnknownFrame;
import org.cea.candecode.facility.FacilityProfile;
import org.cea.redisio.ClockJumpDetector;
import org.cea.redisio.ScannerStatus;
import org.cea.redisio.Spool;
import org.cea.redisio.StreamPublisher;
import org.cea.redisio.TimeSource;
import org.cea.tools.scanner.ScannerStartup.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scanner run: the calling thread reads the source, decodes, prints the console line and
 * hands each frame to two queues; {@code scanner-stream} ({@link StreamFeed}) feeds the stream (and
 * debug) sinks, {@code scanner-db} ({@link DbPath}) the legacy database write, {@code scanner-stats}
 * prints the stats line, {@code scanner-status} writes {@code scanner:status}. The source loop also
 * watches the wall clock against the monotonic clock ({@link ClockJumpDetector}): a jump is one WARN
 * line, counted in the stats line and the status hash. Sources and the database path are opened by
 * {@link ScannerStartup}.
 * {@link #stop()} (SIGTERM) ends the source loop; queued frames are then flushed and every
 * thread joined before {@link #run} returns.
 */
final class Scanner {
    private static final Logger LOG = LoggerFactory.getLogger(Scanner.class);
    private static final int QUEUE = 65_536;
    private static final DecodeResult END_RESULT = new UnknownFrame(StreamFeed.END_FRAME);
    private static final long JOIN_MS = 4_000;
    /** How often the source loop compares the clocks, nanoseconds. */
    private static final long CLOCK_CHECK_NS = 100_000_000L;
    /** How often {@code scanner:status} is written, milliseconds. */
    static final long STATUS_INTERVAL_MS = 5_000;

    private final ScannerOptions opt;
    private final PrintStream out;
    private final PrintStream err;
    private final TimeSource time;
    private final ClockJumpDetector clock;
    private final long clockJumpMs;
    private final AtomicBoolean stop = new AtomicBoolean();
    /** A sink or the source failed: the source loop stops and the run exits 1. */
    private final AtomicBoolean sinkFailed = new AtomicBoolean();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong dbDropped = new AtomicLong();
    private final BlockingQueue<CanFrame> streamQueue = new ArrayBlockingQueue<>(QUEUE);
    private final BlockingQueue<DecodeResult> dbQueue = new ArrayBlockingQueue<>(QUEUE);
    private volatile StreamPublisher publisher;
    private volatile DbPath db;
    private volatile FrameSource source;
    private volatile long firstFrameNs;
    private volatile Path spoolFile;
    /** Source loop only: the DB path's backlog-full error was logged. */
    private boolean dbDropLogged;

    Scanner(ScannerOptions opt, PrintStream out, PrintStream err) {
        this(opt, out, err, TimeSource.system(), ClockJumpDetector.DEFAULT_THRESHOLD_MS);
    }

    /**
     * A run with the given clocks (tests step the wall clock) and clock-jump threshold.
     *
     * @param clockJumpMs smallest wall-clock step reported, milliseconds &gt;= 1
     */
    Scanner(ScannerOptions opt, PrintStream out, PrintStream err, TimeSource time, long clockJumpMs) {
        this.opt = opt;
        this.out = out;
        this.err = err;
        this.time = time;
        this.clock = new ClockJumpDetector(time, clockJumpMs);
        this.clockJumpMs = clockJumpMs;
    }

    /** Asks the run to end: the source loop stops, queued frames are flushed. */
    void stop() {
        stop.set(true);
    }

    /**
     * Runs until the count, duration or end of the source, or {@link #stop()}.
     *
     * @return 0 on a clean end, 1 on a fatal error (already reported on {@code err} in one line)
     */
    int run() {
        FrameDecoder decoder;
        try {
            decoder = FrameDecoder.forFacility(FacilityProfile.loadDefault(opt.etcDir()));
        } catch (RuntimeException e) {
            err.println("can-scanner: facility profile in " + opt.etcDir() + ": " + e.getMessage()
                    + " (use --etc DIR or CEA_ETC)");
            return 1;
        }
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            return run(decoder, resources);
        } catch (StartupException e) {
            err.println("can-scanner: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            closeAll(resources);
        }
    }

    /** Opens the source and the sinks (added to {@code resources}), starts the threads, reads, finishes. */
    private int run(FrameDecoder decoder, List<AutoCloseable> resources) throws InterruptedException {
        source = ScannerStartup.openSource(opt, time);
        resources.add(source);
        LOG.info("reading {}", opt.source());
        List<FrameSink> sinks = openSinks(resources);
        Thread streamThread = thread("scanner-stream",
                new StreamFeed(streamQueue, sinks, publisher, spoolFile, opt, stop, sinkFailed));
        Thread dbThread = opt.dbUrl() == null ? null : thread("scanner-db", openDb());
        Thread statsThread = opt.statsSeconds() > 0 ? thread("scanner-stats", this::statsLoop) : null;
        ScannerStatusWriter status = opt.redis() == null ? null : new ScannerStatusWriter(opt.redis(), this::status);
        Thread statusThread = status == null ? null : thread("scanner-status", status);
        try {
            sourceLoop(decoder);
            finish(streamThread, dbThread, statsThread);
        } finally {
            if (status != null) {
                status.stop(statusThread);
            }
        }
        long start = firstFrameNs;
        err.println(statsLine(start == 0 ? 0 : frames.get() * 1e9 / Math.max(1, System.nanoTime() - start))
                + " (final; rate = average since the first frame, all sinks flushed)");
        return sinkFailed.get() || !spoolDrained() ? 1 : 0;
    }

    private List<FrameSink> openSinks(List<AutoCloseable> resources) {
        List<FrameSink> sinks = new ArrayList<>();
        try {
            if (opt.redis() != null) {
                Spool spool = Spool.open(opt.spoolDir());
                resources.add(spool);
                publisher = new StreamPublisher(opt.redis(), opt.stream(), spool, time.monotonicNanos(),
                        time::wallMillis);
                spoolFile = spool.file();
                sinks.add(new StreamSink(publisher));
                LOG.info("stream {} on {}, spool {} ({} frames waiting)", opt.stream().stream(),
                        opt.redis().maskedUrl(), spool.file(), spool.depth());
            }
            if (opt.candumpSink() != null) {
                sinks.add(new CandumpFileSink(opt.candumpSink(), source.interfaceName()));
            }
            return sinks;
        } catch (RuntimeException e) {
            throw new StartupException(e.getMessage(), e);
        }
    }

    private Runnable openDb() {
        db = ScannerStartup.openDb(opt, dbQueue, END_RESULT);
        return db;
    }

    private void sourceLoop(FrameDecoder decoder) throws InterruptedException {
        ConsoleFormat console = new ConsoleFormat(ZoneId.systemDefault());
        long deadline = opt.durationMs() > 0 ? System.nanoTime() + opt.durationMs() * 1_000_000L : Long.MAX_VALUE;
        long nextClockCheck = time.monotonicNanos().getAsLong();
        while (!stop.get() && !sinkFailed.get()) {
            long mono = time.monotonicNanos().getAsLong();
            if (mono - nextClockCheck >= 0) {
                nextClockCheck = mono + CLOCK_CHECK_NS;
                reportJump(clock.check());
            }
            if (ended(deadline)) {
                break;
            }
            CanFrame f;
            try {
                f = source.next(200);
            } catch (SocketCanException e) {
                err.println("can-scanner: " + e.getMessage());
                sinkFailed.set(true);
                break;
            }
            if (f != null) {
                accept(f, decoder, console);
            } else if (source.exhausted()) {
                break;
            }
        }
    }

    /** The count or the duration is reached. */
    private boolean ended(long deadline) {
        if (opt.count() > 0 && frames.get() >= opt.count()) {
            return true;
        }
        return deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0;
    }

    /** One frame from the source: decoded for the console and the DB path, queued for both threads. */
    private void accept(CanFrame f, FrameDecoder decoder, ConsoleFormat console) throws InterruptedException {
        if (firstFrameNs == 0) {
            firstFrameNs = System.nanoTime();
        }
        // decoding only feeds the console and the DB path; the stream takes raw frames
        DecodeResult r = opt.quiet() && db == null ? null : decoder.decode(f);
        if (!opt.quiet()) {
            out.println(console.line(r));
        }
        streamQueue.put(f);
        if (db != null && !dbQueue.offer(r)) {
            dbDropped.incrementAndGet();
            if (!dbDropLogged) {
                LOG.error("DB path backlog full ({} frames): frames are not written to the database until it"
                        + " catches up (they are still in the stream)", QUEUE);
                dbDropLogged = true;
            }
        }
        frames.incrementAndGet();
    }


    private void reportJump(ClockJumpDetector.Jump j) {
        if (j != null) {
            LOG.warn("wall clock jumped {} (against the monotonic clock, threshold {} ms; jump {} since start):"
                    + " frames are stamped with the new time from now on, so timestamps before and after the step"
                    + " are not comparable (README \"Clock jumps\")", j.describe(),
                    clockJumpMs, clock.jumps());
        }
    }

    /** What {@code scanner:status} shows now. */
    private ScannerStatus.Snapshot status() {
        return new ScannerStatus.Snapshot(opt.source(), frames.get(), clock.jumps(), clock.last(), time.wallMillis());
    }

    /** False (and one line on stderr) when a finite run ends with frames still in the spool. */
    private boolean spoolDrained() {
        StreamPublisher p = publisher;
        long left = p == null ? 0 : p.stats().spoolDepth();
        if (left == 0 || stop.get()) {
            return true;
        }
        err.println("can-scanner: " + left + " frames still spooled in " + spoolFile + " after waiting "
                + opt.drainTimeoutMs() / 1000.0 + " s (--drain-timeout) for Redis " + opt.redis().maskedUrl()
                + "; start Redis, then run can-scanner again (with the same --spool-dir) to send them");
        return false;
    }

    private void statsLoop() {
        long last = frames.get();
        long lastNs = System.nanoTime();
        try {
            while (true) {
                Thread.sleep(opt.statsSeconds() * 1000L);
                long now = System.nanoTime();
                long n = frames.get();
                err.println(statsLine((n - last) * 1e9 / Math.max(1, now - lastNs)));
                last = n;
                lastNs = now;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The stats line: rate, frames, stream, spool, DB, errors. */
    String statsLine(double rate) {
        StringBuilder sb = new StringBuilder("stats: ");
        sb.append(String.format(Locale.ROOT, "%.1f frames/s, %d frames", rate, frames.get()));
        StreamPublisher p = publisher;
        if (p != null) {
            StreamPublisher.Stats s = p.stats();
            sb.append(" | stream ").append(s.written()).append(" written, ").append(s.duplicates()).append(" dup, ")
                    .append(s.connected() ? "redis up" : "redis DOWN").append(" | spool ").append(s.spoolDepth())
                    .append(" waiting, ").append(s.spooled()).append(" spooled, ").append(s.replayed())
                    .append(" replayed, ").append(s.lost()).append(" LOST");
            if (s.refused() > 0) {
                sb.append(", ").append(s.refused()).append(" refused by Redis (spooled, sent again)");
            }
            if (s.spoolBad() > 0) {
                sb.append(", ").append(s.spoolBad()).append(" bad lines quarantined");
            }
            if (s.capHits() > 0) {
                sb.append(" | stream at cap ").append(s.capHits()).append("x (data at risk)");
            }
        }
        DbPath d = db;
        if (d != null) {
            sb.append(" | db ").append(d.written()).append(" written, ").append(dbQueue.size()).append(" queued, ")
                    .append(dbDropped.get()).append(" dropped, ").append(d.rejected()).append(" rejected, ")
                    .append(d.commits()).append(" commits, ").append(d.up() ? "up" : "DOWN");
        }
        FrameSource src = source;
        sb.append(" | source errors ").append(src == null ? 0 : src.errors());
        ClockJumpDetector.Jump j = clock.last();
        if (j != null) {
            sb.append(" | clock jumps ").append(clock.jumps()).append(" (last ").append(j.describe()).append(')');
        }
        return sb.toString();
    }

    private void finish(Thread streamThread, Thread dbThread, Thread statsThread) throws InterruptedException {
        streamQueue.put(StreamFeed.END_FRAME);
        if (dbThread != null) {
            if (!dbQueue.offer(END_RESULT, 1, TimeUnit.SECONDS)) {
                dbThread.interrupt();
            }
        }
        streamThread.join(JOIN_MS + (stop.get() ? 0 : opt.drainTimeoutMs()));
        if (streamThread.isAlive()) {
            LOG.error("stream thread did not finish within {} ms", JOIN_MS);
            streamThread.interrupt();
            streamThread.join(500);
        }
        if (dbThread != null) {
            dbThread.join(JOIN_MS);
            if (dbThread.isAlive()) {
                dbThread.interrupt();
                dbThread.join(500);
            }
        }
        if (statsThread != null) {
            statsThread.interrupt();
            statsThread.join(500);
        }
    }

    private static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.error("closing {} failed: {}", resources.get(i), e.getMessage(), e);
            }
        }
    }
}
