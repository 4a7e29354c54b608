package org.cea.automation;

import org.cea.redisio.Alert;

/**
 * The {@code pipeline} rules (Redis unreachable, worker down, database down, worker lag, dead
 * letters, stream near its cap), judged from {@link Observations.Pipeline}. Holds what these checks
 * must remember between evaluations (since when the database is down, the dead-letter baseline).
 */
final class PipelineChecks {
    private static final Rule.Target NONE = new Rule.Target(null, null, null, null);
    private final AlertBook book;
    private final AlertText text;
    private final long startMs;
    private long dbDownSince;
    private long deadBaseline = -1;
    private long deadRunStart;
    private long deadLastIncrease;

    PipelineChecks(AlertBook book, AlertText text, long startMs) {
        this.book = book;
        this.text = text;
        this.startMs = startMs;
    }

    /** The worker's status is missing or older than {@link AlertEngine#WORKER_STALE_MS}. */
    static boolean workerDown(Observations.Pipeline p, long now) {
        Long updated = parseLong(p.workerStatus().get("updated_at"));
        return updated == null || now - updated > AlertEngine.WORKER_STALE_MS;
    }

    /** Evaluates one pipeline rule at {@code o.now()}. */
    void check(Rule.Pipeline r, Observations o, EngineOutput out) {
        Observations.Pipeline p = o.pipeline();
        long now = o.now();
        Alert a = book.get(r.name());
        switch (r.check()) {
            case REDIS_UNREACHABLE -> redis(r, p, now, a, out);
            case WORKER_DOWN -> worker(r, p, now, a, out);
            case DB_DOWN -> dbDown(r, p, now, a, out);
            case WORKER_LAG -> lag(r, p, now, a, out);
            case DEAD_LETTERS -> deadLetters(r, p, now, a, out);
            case STREAM_NEAR_CAP -> nearCap(r, p, now, a, out);
        }
    }

    private void redis(Rule.Pipeline r, Observations.Pipeline p, long now, Alert a, EngineOutput out) {
        if (!p.redisUp()) {
            book.hold(r, r.name(), NONE, null, null, "cea-automation cannot reach Redis since "
                    + text.clock(p.redisDownSinceMs()) + ": live values, the dashboard and the worker are affected;"
                    + " check redis-server.", p.redisDownSinceMs(), now, out);
        } else if (a != null) {
            book.resolve(a, null, "Redis answers again.", now, out);
        }
    }

    private void worker(Rule.Pipeline r, Observations.Pipeline p, long now, Alert a, EngineOutput out) {
        if (!p.redisUp()) {
            return;
        }
        Long updated = parseLong(p.workerStatus().get("updated_at"));
        long last = updated == null ? startMs : updated;
        if (now - last > r.maxAge().toMillis()) {
            book.hold(r, r.name(), NONE, null, (double) r.maxAge().toSeconds(), "can-worker has not reported "
                    + (updated == null ? "since cea-automation started" : "since " + text.clock(updated))
                    + ": readings are not stored; check systemctl status can-worker.",
                    last + r.maxAge().toMillis(), now, out);
        } else if (a != null) {
            book.resolve(a, null, "can-worker reports again.", now, out);
        }
    }

    private void nearCap(Rule.Pipeline r, Observations.Pipeline p, long now, Alert a, EngineOutput out) {
        if (p.rawLength() < 0) {
            return;
        }
        double limit = r.fraction() * r.cap();
        if (p.rawLength() >= limit) {
            book.hold(r, r.name(), NONE, (double) p.rawLength(), limit, "can:raw holds " + p.rawLength()
                    + " entries, near its cap of " + r.cap() + ": beyond it frames are lost; is can-worker keeping up?",
                    now, now, out);
        } else if (a != null) {
            book.resolve(a, (double) p.rawLength(), "can:raw is back at " + p.rawLength() + " entries.", now, out);
        }
    }

    private void dbDown(Rule.Pipeline r, Observations.Pipeline p, long now, Alert a, EngineOutput out) {
        if (!p.redisUp() || workerDown(p, now)) {
            return;
        }
        if ("down".equalsIgnoreCase(p.workerStatus().get("db"))) {
            dbDownSince = dbDownSince == 0 ? (a != null ? a.since() : now) : dbDownSince;
            String err = p.workerStatus().getOrDefault("last_error", "");
            book.hold(r, r.name(), NONE, null, null, "can-worker cannot write to the database since "
                    + text.clock(dbDownSince) + (err.isBlank() ? "" : " (" + err + ")")
                    + ": readings wait in Redis; check PostgreSQL.", dbDownSince, now, out);
        } else {
            dbDownSince = 0;
            if (a != null) {
                book.resolve(a, null, "can-worker writes to the database again.", now, out);
            }
        }
    }

    private void lag(Rule.Pipeline r, Observations.Pipeline p, long now, Alert a, EngineOutput out) {
        if (!p.redisUp() || p.lagEntries() < 0) {
            return;
        }
        long ageMs = p.oldestUnprocessedMs() > 0 ? Math.max(0, now - p.oldestUnprocessedMs()) : 0;
        boolean entries = r.maxEntries() > 0 && p.lagEntries() > r.maxEntries();
        boolean age = !r.maxAge().isZero() && ageMs > r.maxAge().toMillis();
        if (entries || age) {
            String msg = "can-worker is behind: " + p.lagEntries() + " entries not yet stored, the oldest "
                    + ageMs / 1000 + " s old (limits " + (r.maxEntries() > 0 ? r.maxEntries() + " entries" : "")
                    + (r.maxEntries() > 0 && !r.maxAge().isZero() ? ", " : "")
                    + (r.maxAge().isZero() ? "" : r.maxAge().toSeconds() + " s") + ").";
            book.hold(r, r.name(), NONE, entries ? (double) p.lagEntries() : ageMs / 1000.0,
                    entries ? (double) r.maxEntries() : (double) r.maxAge().toSeconds(), msg, now, now, out);
        } else if (a != null) {
            book.resolve(a, (double) p.lagEntries(), "can-worker has caught up (" + p.lagEntries() + " entries behind).",
                    now, out);
        }
    }

    private void deadLetters(Rule.Pipeline r, Observations.Pipeline p, long now, Alert a, EngineOutput out) {
        if (!p.redisUp() || p.deadLetters() < 0) {
            return;
        }
        if (deadBaseline < 0 || p.deadLetters() < deadBaseline && deadLastIncrease == 0) {
            deadBaseline = p.deadLetters();
        }
        if (p.deadLetters() > deadBaseline) {
            if (deadLastIncrease == 0 || now - deadLastIncrease > r.maxAge().toMillis()) {
                deadRunStart = now;
            }
            deadLastIncrease = now;
            deadBaseline = p.deadLetters();
        }
        if (deadLastIncrease > 0 && now - deadLastIncrease <= r.maxAge().toMillis()) {
            book.hold(r, r.name(), NONE, (double) p.deadLetters(), null, "Entries were dead-lettered to can:dead (now "
                    + p.deadLetters() + ", last at " + text.clock(deadLastIncrease) + "): bad input from a node or a bug;"
                    + " see monitor_redis_backend.sh.", deadRunStart, now, out);
        } else if (a != null) {
            book.resolve(a, (double) p.deadLetters(), "No new dead letters for " + r.maxAge().toSeconds() + " s.", now,
                    out);
        }
    }

    private static Long parseLong(String s) {
        try {
            return s == null ? null : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
