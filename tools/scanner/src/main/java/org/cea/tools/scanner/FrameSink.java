package org.cea.tools.scanner;

import org.cea.candecode.CanFrame;

/** A consumer of raw frames driven by the stream thread: add, poll when due, close to flush. */
interface FrameSink extends AutoCloseable {
    /** Takes one frame (may send a full batch). */
    void add(CanFrame frame);

    /** Does timed work: partial batches, reconnects, replay. */
    void poll();

    /** Nanoseconds until {@link #poll} has work, 0..1e9. */
    long nanosUntilDue();

    /** Flushes and releases; idempotent. */
    @Override
    void close();
}
