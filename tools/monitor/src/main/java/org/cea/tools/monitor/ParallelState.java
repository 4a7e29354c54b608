package org.cea.tools.monitor;

import org.cea.redisio.ConsistencyStatus;

/**
 * The parallel-run section of both monitors: the newest comparison recorded in
 * {@code consistency:status}, or why there is none to show.
 *
 * @param result  the recorded comparison, or null
 * @param problem why {@code result} is null: none recorded yet (null), Redis unreachable or the hash
 *                unreadable (the message)
 */
record ParallelState(ConsistencyStatus.Result result, String problem) {
    /** At most one of the two. */
    ParallelState {
        if (result != null && problem != null) {
            throw new IllegalArgumentException("a parallel state has a result or a problem, not both");
        }
    }

    /** No comparison has been recorded. */
    static ParallelState none() {
        return new ParallelState(null, null);
    }

    /** The recorded comparison. */
    static ParallelState of(ConsistencyStatus.Result r) {
        return new ParallelState(java.util.Objects.requireNonNull(r, "result"), null);
    }

    /** Redis could not be read, or the hash not parsed. */
    static ParallelState problem(String message) {
        return new ParallelState(null, java.util.Objects.requireNonNull(message, "message"));
    }
}
