package org.cea.tools.scanner;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import joptsimple.OptionException;

/**
 * {@code can-scanner}: CAN frames (SocketCAN, candump log, simulator) to the Redis stream
 * {@code can:raw} and, in parallel, the legacy {@code can_messages} table. SIGTERM flushes both
 * paths and exits 0 within 5 seconds. Exit 2 on bad flags, 1 on a fatal error.
 */
public final class ScannerMain {
    private static final long SHUTDOWN_BUDGET_MS = 4_500;

    private ScannerMain() {
    }

    /** Entry point. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                java.nio.charset.StandardCharsets.UTF_8);
        int rc = run(args, out, System.err, true);
        out.flush();
        System.exit(rc);
    }

    /**
     * Parses flags and runs the scanner.
     *
     * @param installHook install the SIGTERM shutdown hook (mains only)
     * @return the exit status
     */
    static int run(String[] args, PrintStream out, PrintStream err, boolean installHook) {
        Cli cli = new Cli();
        ScannerOptions opt;
        try {
            opt = cli.parse(args, System.getenv(), err);
        } catch (OptionException | IllegalArgumentException e) {
            err.println("can-scanner: " + e.getMessage());
            cli.usage(err);
            return 2;
        }
        if (opt == null) {
            return 0;
        }
        Scanner scanner = new Scanner(opt, out, err);
        CountDownLatch done = new CountDownLatch(1);
        int[] rc = {1};
        if (installHook) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> onSigterm(scanner, done, rc, out),
                    "scanner-shutdown"));
        }
        try {
            rc[0] = scanner.run();
            return rc[0];
        } finally {
            done.countDown();
        }
    }

    /** SIGTERM: stop the source, let run() flush both paths, then exit with its status. */
    private static void onSigterm(Scanner scanner, CountDownLatch done, int[] rc, PrintStream out) {
        if (done.getCount() == 0) {
            return;
        }
        scanner.stop();
        try {
            boolean finished = done.await(SHUTDOWN_BUDGET_MS, TimeUnit.MILLISECONDS);
            out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(finished ? rc[0] : 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Runtime.getRuntime().halt(1);
        }
    }
}
