package org.cea.tools.scanner;

import org.cea.candecode.CanFrame;
import org.cea.redisio.StreamPublisher;

/** The Redis stream sink: a {@link StreamPublisher} (batches, spool, replay) as a {@link FrameSink}. */
final class StreamSink implements FrameSink {
    private final StreamPublisher publisher;

    StreamSink(StreamPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void add(CanFrame frame) {
        publisher.add(frame);
    }

    @Override
    public void poll() {
        publisher.poll();
    }

    @Override
    public long nanosUntilDue() {
        return publisher.nanosUntilDue();
    }

    @Override
    public void close() {
        publisher.close();
    }
}
