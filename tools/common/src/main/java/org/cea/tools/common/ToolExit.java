package org.cea.tools.common;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one shutdown idiom of every tool main: parse → open (fail fast, one line, exit non-zero) →
 * run → on a signal: flag, close in order, exit code. A main creates it with {@link #install},
 * registers the run's stop action with {@link #onSignal} once it has something to stop, and ends
 * with {@link #exit(int)}.
 *
 * <p>The shutdown hook never chooses the exit status itself: when the main calls
 * {@link #exit(int)} first (a fatal error, the end of a finite source), the hook does nothing and
 * the JVM exits with that status; on SIGTERM/SIGINT the hook runs the stop action, waits up to the
 * stop budget for the main to close everything and call {@link #exit(int)}, then ends the JVM
 * with the main's status (0 after a clean stop), or 1 when the budget ran out. A failure can
 * therefore never become exit 0 (the old hooks' {@code Runtime.halt(0)} raced {@code System.exit(1)}).
 *
 * <p>Thread-safe. {@link #inProcess} gives an instance without a hook for tests and callers that
 * run a tool's {@code run} method inside their own JVM.
 */
public final class ToolExit {
    private static final Logger LOG = LoggerFactory.getLogger(ToolExit.class);

    private final String tool;
    private final long stopBudgetMs;
    private final boolean installed;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicBoolean signalled = new AtomicBoolean();
    private volatile boolean exiting;
    private volatile int status = 1;
    private Runnable stopAction;
    private Thread mainThread;

    private ToolExit(String tool, long stopBudgetMs, boolean installed) {
        if (tool == null || tool.isBlank()) {
            throw new IllegalArgumentException("tool name is required");
        }
        if (stopBudgetMs <= 0) {
            throw new IllegalArgumentException("stopBudgetMs must be > 0, was " + stopBudgetMs);
        }
        this.tool = tool;
        this.stopBudgetMs = stopBudgetMs;
        this.installed = installed;
    }

    /**
     * For a main: installs the process's shutdown hook.
     *
     * @param tool         the tool's name, for messages and the hook thread's name
     * @param stopBudgetMs how long a signal waits for the main to close everything, ms &gt; 0
     * @return the exit handle of this process
     */
    public static ToolExit install(String tool, long stopBudgetMs) {
        ToolExit x = new ToolExit(tool, stopBudgetMs, true);
        x.mainThread = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(x::onShutdown, tool + "-shutdown"));
        return x;
    }

    /**
     * For tests and in-process callers: no hook; {@link #exit(int)} only records the status.
     *
     * @param tool the tool's name, for messages
     * @return a handle that never ends the JVM
     */
    public static ToolExit inProcess(String tool) {
        return new ToolExit(tool, 1, false);
    }

    /**
     * Sets what a signal does first: set the run's stop flag and wake it up. It must not block; the
     * main then closes in order and calls {@link #exit(int)}. Runs at once when the signal came
     * before this call (during start-up).
     *
     * @param stop the stop action, replacing the previous one
     */
    public void onSignal(Runnable stop) {
        boolean late;
        synchronized (this) {
            stopAction = stop;
            late = signalled.get();
        }
        if (late) {
            stop.run();
        }
    }

    /** True once SIGTERM/SIGINT started the JVM's shutdown: a start-up still in progress should give up. */
    public boolean signalled() {
        return signalled.get();
    }

    /** The status passed to {@link #exit(int)}, 1 before that. */
    public int status() {
        return status;
    }

    /**
     * Ends the main with {@code rc}. With a hook installed and no signal, calls {@code System.exit(rc)}
     * and does not return; after a signal, hands {@code rc} to the hook (which ends the JVM with it)
     * and returns. Without a hook, only records {@code rc}.
     *
     * @param rc the exit status, 0..255
     */
    public void exit(int rc) {
        status = rc;
        if (!installed) {
            finished.countDown();
            return;
        }
        if (!signalled.get()) {
            exiting = true;
        }
        finished.countDown();
        System.out.flush();
        System.err.flush();
        if (!signalled.get()) {
            System.exit(rc);
        }
    }

    /**
     * A fatal error: one line {@code "<tool>: <message>"} on {@code err}; the cause with its stack
     * trace only at DEBUG (bin/ wrappers: {@code --debug} or {@code CEA_DEBUG=1}).
     *
     * @param err     where the line goes (stderr: the journal)
     * @param message what went wrong and what to do, one line
     * @param cause   logged at DEBUG, may be null
     * @return 1, the status of a fatal error
     */
    public int fatal(PrintStream err, String message, Throwable cause) {
        err.println(tool + ": " + message);
        err.flush();
        if (cause != null) {
            LOG.debug("{}: {}", tool, message, cause);
        }
        return 1;
    }

    private void onShutdown() {
        if (exiting) {
            return;
        }
        if (mainThread != null && !mainThread.isAlive() && finished.getCount() > 0) {
            // the main died of an uncaught error (printed above) before it chose a status
            LOG.error("{}: ended by an uncaught error; exiting 1", tool);
            System.err.flush();
            Runtime.getRuntime().halt(1);
        }
        Runnable stop;
        synchronized (this) {
            signalled.set(true);
            stop = stopAction;
        }
        LOG.info("{}: stopping on signal", tool);
        if (stop != null) {
            try {
                stop.run();
            } catch (RuntimeException e) {
                LOG.error("{}: stop action failed: {}", tool, e.getMessage(), e);
            }
        }
        boolean done = false;
        try {
            done = finished.await(stopBudgetMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!done) {
            LOG.error("{}: did not stop within {} ms of the signal; exiting 1", tool, stopBudgetMs);
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(done ? status : 1);
    }

    @Override
    public String toString() {
        return "ToolExit[" + tool + ", budget=" + stopBudgetMs + "ms, signalled=" + signalled.get() + "]";
    }
}
