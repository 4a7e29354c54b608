package org.cea.tools.worker;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.cea.testsupport.Processes;

/** Polling waits for the ITs. */
final class Await {
    private Await() {
    }

    /** Waits until {@code condition} holds; fails with {@code detail} after {@code timeoutMs}. */
    static void until(long timeoutMs, BooleanSupplier condition, Supplier<String> detail) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeoutMs + " ms: " + detail.get());
            }
            Processes.sleep(100);
        }
    }
}
