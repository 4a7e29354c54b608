package org.cea.tools.scanner;

import org.cea.candecode.CanFrame;

/** Where frames come from: a CAN bus, a candump log or the simulator. Used by one thread. */
interface FrameSource extends AutoCloseable {

    /**
     * The next frame, waiting at most about {@code timeoutMs}.
     *
     * @return a frame, or null when none arrived in time or the source is exhausted
     */
    CanFrame next(long timeoutMs) throws InterruptedException;

    /** True when no frame will ever come again (end of a log). */
    boolean exhausted();

    /** Input lines or frames that could not be read, for the stats line. */
    long errors();

    /** The interface name to put in candump output. */
    String interfaceName();

    /** Releases the bus socket or file; idempotent. */
    @Override
    void close();
}
