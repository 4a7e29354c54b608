package org.cea.tools.monitor;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cea.redisio.Alert;
import org.cea.redisio.LiveValue;

/**
 * What the Redis + backend status monitor shows at one moment.
 *
 * @param target        the Redis URL, password masked
 * @param takenAtMillis wall-clock Unix ms of the collection (the "now" of every age)
 * @param error         why Redis could not be read, or null when it could
 * @param workerStatus  the {@code worker:status} hash as stored (empty when no worker reported)
 * @param rawLength     entries in stream {@code can:raw}, &gt;= 0
 * @param deadLength    entries in stream {@code can:dead}, &gt;= 0
 * @param sensors       every sensor of the facility profile, in profile order
 * @param failures      the newest entries of list {@code service:failures}, newest first
 * @param problems      keys Redis refused to read (their sections are shown empty), with the reason
 * @param alerts        the active alerts ({@code alerts:active}), critical first
 * @param scannerStatus the {@code scanner:status} hash as stored (empty when no scanner reported)
 */
record RedisSnapshot(String target, long takenAtMillis, String error, Map<String, String> workerStatus,
                     long rawLength, long deadLength, List<Sensor> sensors, List<String> failures,
                     List<String> problems, List<Alert> alerts, Map<String, String> scannerStatus) {
    /** A snapshot without a scanner status. */
    RedisSnapshot(String target, long takenAtMillis, String error, Map<String, String> workerStatus, long rawLength,
                  long deadLength, List<Sensor> sensors, List<String> failures, List<String> problems, List<Alert> alerts) {
        this(target, takenAtMillis, error, workerStatus, rawLength, deadLength, sensors, failures, problems, alerts,
                Map.of());
    }

    /** A snapshot without alerts. */
    RedisSnapshot(String target, long takenAtMillis, String error, Map<String, String> workerStatus, long rawLength,
                  long deadLength, List<Sensor> sensors, List<String> failures, List<String> problems) {
        this(target, takenAtMillis, error, workerStatus, rawLength, deadLength, sensors, failures, problems, List.of());
    }

    /** Copies the collections and checks the lengths. */
    RedisSnapshot {
        alerts = List.copyOf(alerts);
        scannerStatus = Map.copyOf(scannerStatus);
        Objects.requireNonNull(target, "target");
        workerStatus = Map.copyOf(workerStatus);
        sensors = List.copyOf(sensors);
        failures = List.copyOf(failures);
        problems = List.copyOf(problems);
        if (rawLength < 0 || deadLength < 0) {
            throw new IllegalArgumentException("stream lengths must be >= 0, were " + rawLength + ", " + deadLength);
        }
    }

    /** Redis could not be read: only the error is shown. */
    static RedisSnapshot down(String target, long takenAtMillis, String error) {
        return new RedisSnapshot(target, takenAtMillis, Objects.requireNonNull(error, "error"), Map.of(), 0, 0,
                List.of(), List.of(), List.of());
    }

    /** True when Redis answered. */
    boolean up() {
        return error == null;
    }

    /**
     * Healthy as can-api's {@code /health} means it: Redis answered, no sensor is stale, no
     * critical alert fires and the worker's report of the database's jobs is not degraded
     * ({@code --once} exits 3 otherwise).
     */
    boolean healthy() {
        return up() && !JobLines.degraded(workerStatus.get(org.cea.redisio.WorkerStatus.DB_JOBS)) && sensors.stream().noneMatch(x -> RedisView.isStale(x, takenAtMillis))
                && alerts.stream().noneMatch(a -> a.firing() && a.critical());
    }

    /**
     * One sensor of the profile and its live value.
     *
     * @param name sensor name ({@code dry_bulb_b})
     * @param unit unit from the facility profile ({@code °C})
     * @param live the live value, or null when the keys are absent (expired or never written)
     */
    record Sensor(String name, String unit, LiveValue live) {
        /** Checks the name. */
        Sensor {
            Objects.requireNonNull(name, "name");
            unit = unit == null ? "" : unit;
        }
    }
}
