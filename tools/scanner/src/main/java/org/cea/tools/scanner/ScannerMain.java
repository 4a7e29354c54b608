package org.cea.tools.scanner;

import java.io.PrintStream;
import joptsimple.OptionException;
import org.cea.tools.common.ToolExit;

/**
 * {@code can-scanner}: CAN frames (SocketCAN, candump log, simulator) to the Redis stream
 * {@code can:raw} and, in parallel, the legacy {@code can_messages} table. SIGTERM flushes both
 * paths and exits 0 within 5 seconds. Exit 2 on bad flags, 1 on a fatal error.
 */
public final class ScannerMain {
    private static final long SHUTDOWN_BUDGET_MS = 4_500;

    private ScannerMain() {
    }

    /** Entry point: exits with {@link #run}'s status; SIGTERM stops the source and flushes (see {@link ToolExit}). */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                java.nio.charset.StandardCharsets.UTF_8);
        ToolExit exit = ToolExit.install("can-scanner", SHUTDOWN_BUDGET_MS);
        int rc = run(args, out, System.err, exit);
        out.flush();
        exit.exit(rc);
    }

    /** Runs in this JVM without a shutdown hook (tests). */
    static int run(String[] args, PrintStream out, PrintStream err, boolean installHook) {
        if (installHook) {
            throw new IllegalArgumentException("only main installs the shutdown hook");
        }
        return run(args, out, err, ToolExit.inProcess("can-scanner"));
    }

    /**
     * Parses flags and runs the scanner.
     *
     * @param exit the process's exit handle: a signal stops the source, queued frames are flushed
     * @return the exit status
     */
    static int run(String[] args, PrintStream out, PrintStream err, ToolExit exit) {
        Cli cli = new Cli();
        ScannerOptions opt;
        try {
            opt = cli.parse(args, System.getenv(), out);
        } catch (OptionException | IllegalArgumentException e) {
            err.println("can-scanner: " + e.getMessage());
            cli.usage(err);
            return 2;
        }
        if (opt == null) {
            return 0;
        }
        Scanner scanner = new Scanner(opt, out, err);
        exit.onSignal(scanner::stop);
        return scanner.run();
    }
}
