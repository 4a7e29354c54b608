package org.cea.tools.scanner;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.cea.redisio.RedisConfig;
import org.cea.redisio.StreamWriterSettings;

/**
 * Everything the scanner was told, validated.
 *
 * @param source        {@code socketcan:IFACE}, {@code candump:FILE}, {@code candump:-} or {@code sim}
 * @param redis         Redis connection, or null with {@code --no-stream}
 * @param stream        stream writer settings
 * @param spoolDir      spool directory
 * @param dbUrl         database URL for the legacy direct write, or null with {@code --no-db}
 * @param candumpSink   debug sink file (candump log format), or null
 * @param etcDir        directory with facility.json and cea.dbc
 * @param quiet         no per-frame console lines
 * @param statsSeconds  seconds between stats lines, 0 for none
 * @param count         stop after this many frames, 0 for no limit
 * @param durationMs    stop after this many milliseconds, 0 for no limit
 * @param speed         candump replay speed factor, 0 = as fast as possible
 * @param retime        stamp replayed frames with the current time
 * @param simSpeed      simulated seconds per second, 0 = as fast as possible
 * @param sim           simulator switches
 * @param dbBatch       rows per database transaction
 * @param dbFlushMs     legacy write: how long rows gather after the first one before their transaction, ms
 *                      0..60000 (0 = write what is queued at once)
 * @param drainTimeoutMs at the end of a finite run (end of a candump log, --count, --duration), how long
 *                      to wait for spooled frames to reach Redis before exiting non-zero, ms &gt;= 0
 */
record ScannerOptions(String source, RedisConfig redis, StreamWriterSettings stream, Path spoolDir, String dbUrl,
                      Path candumpSink, Path etcDir, boolean quiet, int statsSeconds, long count, long durationMs,
                      double speed, boolean retime, double simSpeed, FacilitySimulator.Settings sim, int dbBatch,
                      long dbFlushMs, long drainTimeoutMs) {
    /** Source kinds. */
    static final List<String> SOURCE_FORMS = List.of("socketcan:IFACE", "candump:FILE", "candump:-", "sim");

    /** Validates the combination. */
    ScannerOptions {
        if (!(source.startsWith("socketcan:") && source.length() > "socketcan:".length())
                && !(source.startsWith("candump:") && source.length() > "candump:".length()) && !"sim".equals(source)) {
            throw new IllegalArgumentException("--source must be one of " + SOURCE_FORMS + ", was '" + source + "'");
        }
        if (statsSeconds < 0) {
            throw new IllegalArgumentException("--stats-interval must be >= 0 seconds, was " + statsSeconds);
        }
        if (count < 0 || durationMs < 0) {
            throw new IllegalArgumentException("--count and --duration must be >= 0, were " + count + " and " + durationMs);
        }
        if (!(speed >= 0) || !(simSpeed >= 0)) {
            throw new IllegalArgumentException("--speed and --sim-speed must be > 0 or 'max', were " + speed + " and " + simSpeed);
        }
        if (dbBatch < 1 || dbBatch > 100_000) {
            throw new IllegalArgumentException("--db-batch must be 1..100000, was " + dbBatch);
        }
        if (dbFlushMs < 0 || dbFlushMs > 60_000) {
            throw new IllegalArgumentException("--db-flush-ms must be 0..60000, was " + dbFlushMs);
        }
        if (drainTimeoutMs < 0) {
            throw new IllegalArgumentException("--drain-timeout must be >= 0 seconds, was " + drainTimeoutMs / 1000.0);
        }
        if (redis == null && dbUrl == null && candumpSink == null) {
            throw new IllegalArgumentException("--no-stream and --no-db leave no sink; add --sink candump:FILE");
        }
        sim = sim == null ? FacilitySimulator.Settings.defaults() : sim;
    }

    /** Simulator switches from flag values. */
    static FacilitySimulator.Settings simSettings(long seed, List<Integer> dropout, List<Integer> fault, double loss) {
        return new FacilitySimulator.Settings(seed, Set.copyOf(dropout), Set.copyOf(fault), loss);
    }

    /** Simulator switches from the flags' texts ({@code NODE[@FROM-TO]}, {@code NODE:SIGNAL=VALUE[@FROM-TO]}). */
    static FacilitySimulator.Settings simSettings(long seed, List<String> dropout, List<String> fault, List<String> set,
                                                  double loss) {
        List<FacilitySimulator.Window> windows = new java.util.ArrayList<>();
        dropout.forEach(d -> windows.add(FacilitySimulator.Window.parse(FacilitySimulator.Window.DROPOUT, d)));
        fault.forEach(f -> windows.add(FacilitySimulator.Window.parse(FacilitySimulator.Window.FAULT, f)));
        set.forEach(x -> windows.add(FacilitySimulator.Window.parse(FacilitySimulator.Window.SET, x)));
        for (FacilitySimulator.Window w : windows) {
            if (FacilitySimulator.Window.FAULT.equals(w.what()) && w.node() > 3) {
                throw new IllegalArgumentException("--sim-fault node must be a room node 1..3, was " + w.node());
            }
        }
        return new FacilitySimulator.Settings(seed, Set.of(), Set.of(), loss, windows);
    }
}
