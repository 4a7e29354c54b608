package org.cea.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private {@code redis-server} on a free loopback port with its data in a temp dir. It can be
 * stopped, killed with SIGKILL and restarted on the same port and directory, which is what the
 * fault tests need.
 */
public final class RedisServer implements AutoCloseable {
    private final int port;
    private final Path dir;
    private final boolean appendOnly;
    private final Path include;
    private Process process;
    private boolean closed;

    private RedisServer(int port, Path dir, boolean appendOnly, Path include) {
        this.port = port;
        this.dir = dir;
        this.appendOnly = appendOnly;
        this.include = include;
    }

    /** Starts a server; with {@code appendOnly} every write is fsync'd to the AOF (survives kill -9). */
    public static RedisServer start(boolean appendOnly) {
        return start(appendOnly, null);
    }

    /**
     * Starts a server that also reads the config file {@code include} (e.g. the ACL users written by
     * bin/cea-redis-auth); with a password on the default user, {@link #command} answers NOAUTH, so
     * talk to it through a client that logs in.
     */
    public static RedisServer start(boolean appendOnly, Path include) {
        if (Processes.onPath("redis-server") == null) {
            throw new IllegalStateException("redis-server not found: run 'make deps' (apt-get install redis-server)");
        }
        RedisServer s = new RedisServer(Processes.freePort(), Processes.tempDir("cea-redis-"), appendOnly, include);
        s.startProcess();
        return s;
    }

    /** Port the server listens on. */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Data directory (AOF and RDB files). */
    public Path dir() {
        return dir;
    }

    /** True while the process is alive. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** (Re)starts the process on the same port and directory and waits until it answers PING. */
    public synchronized void startProcess() {
        if (isRunning()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of(
                "redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--daemonize", "no", "--save", "",
                "--appendonly", appendOnly ? "yes" : "no", "--appendfsync", "always",
                "--logfile", dir.resolve("redis.log").toString()));
        if (include != null) {
            cmd.addAll(List.of("--include", include.toAbsolutePath().toString()));
        }
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.out").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
        awaitPing(15_000);
    }

    /** Graceful stop (SIGTERM) and wait. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        waitFor(process);
        process = null;
    }

    /** SIGKILL, as a power cut or OOM kill would. */
    public synchronized void kill9() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        waitFor(process);
        process = null;
    }

    /**
     * SIGSTOP: the process keeps its sockets open but answers nothing, as a frozen server or a
     * silently dropped network path (half-open connection) looks to a client. Undo with {@link #thaw()}.
     */
    public synchronized void freeze() {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    public synchronized void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        if (process == null) {
            throw new IllegalStateException("redis-server is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("kill -" + name + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending SIG" + name, e);
        }
    }

    /** Kill -9 then start again on the same port and directory. */
    public void restart() {
        kill9();
        startProcess();
    }

    /** Sends a raw command (inline protocol) and returns the raw reply; for fixtures and asserts. */
    public String command(String inline) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            int n = in.read(buf);
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("redis command failed on port " + port + ": " + inline, e);
        }
    }

    private void awaitPing(long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + ", see " + dir);
            }
            try {
                String pong = command("PING");
                if (pong.startsWith("+PONG") || pong.startsWith("-NOAUTH")) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            Processes.sleep(20);
        }
        throw new IllegalStateException("redis-server did not answer PING within " + timeoutMs + " ms, see " + dir);
    }

    private static void waitFor(Process p) {
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server and deletes its directory; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        kill9();
        Processes.deleteTree(dir);
    }

    @Override
    public String toString() {
        return "RedisServer[" + url() + ", dir=" + dir + "]";
    }
}
