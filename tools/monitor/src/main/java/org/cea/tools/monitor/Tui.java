package org.cea.tools.monitor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

/**
 * The full-screen loop shared by both monitors: a named collector thread produces a new frame
 * (lines) every interval; this thread draws the newest frame with JLine's {@link Display} (only
 * changed lines are rewritten) and reads keys. {@code q}, Ctrl+C, Ctrl+D or end of input quit;
 * the terminal's mode, screen and cursor are restored whatever happens.
 */
final class Tui {
    /** How often keys are polled and a new frame is looked for, milliseconds. */
    static final long POLL_MS = 100;
    private static final AttributedStyle ALERT = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED).bold();

    private final Terminal terminal;
    private final Duration interval;
    private final Supplier<List<String>> frames;
    private final String footer;
    private final AtomicBoolean quit = new AtomicBoolean();
    private final AtomicBoolean resized = new AtomicBoolean();
    private final AtomicReference<List<String>> latest = new AtomicReference<>(List.of("collecting…"));

    /**
     * @param terminal the terminal to take over (not closed here)
     * @param interval time between the end of one collection and the start of the next, &gt; 0
     * @param frames   collects and renders one frame; runs on the collector thread, should not throw
     * @param footer   the last screen row (key help), shown in reverse video
     */
    Tui(Terminal terminal, Duration interval, Supplier<List<String>> frames, String footer) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be > 0, was " + interval);
        }
        this.terminal = terminal;
        this.interval = interval;
        this.frames = frames;
        this.footer = footer;
    }

    /**
     * Runs until the user quits (or {@link #stop()}).
     *
     * @throws UncheckedIOException when the terminal cannot be read
     */
    void run() {
        Attributes saved = terminal.enterRawMode();
        Terminal.SignalHandler prevInt = terminal.handle(Terminal.Signal.INT, s -> quit.set(true));
        Terminal.SignalHandler prevWinch = terminal.handle(Terminal.Signal.WINCH, s -> resized.set(true));
        ScheduledExecutorService collector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "monitor-collector");
            t.setDaemon(true); // a collection stuck in a driver call must not keep the JVM alive after 'q'
            return t;
        });
        try {
            terminal.puts(Capability.enter_ca_mode);
            terminal.puts(Capability.cursor_invisible);
            collector.scheduleWithFixedDelay(this::collectOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
            loop(new Display(terminal, true));
        } finally {
            collector.shutdownNow();
            terminal.handle(Terminal.Signal.INT, prevInt);
            terminal.handle(Terminal.Signal.WINCH, prevWinch);
            terminal.puts(Capability.cursor_visible);
            terminal.puts(Capability.exit_ca_mode);
            terminal.setAttributes(saved);
            terminal.flush();
            awaitStop(collector);
        }
    }

    /** Asks {@link #run()} to return at its next poll; callable from any thread. */
    void stop() {
        quit.set(true);
    }

    private void loop(Display display) {
        NonBlockingReader keys = terminal.reader();
        List<String> drawn = null;
        try {
            while (!quit.get()) {
                List<String> frame = latest.get();
                if (frame != drawn || resized.getAndSet(false)) {
                    draw(display, frame);
                    drawn = frame;
                }
                int c = keys.read(POLL_MS);
                if (c == 'q' || c == 'Q' || c == 3 || c == 4 || c == NonBlockingReader.EOF) {
                    quit.set(true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the terminal", e);
        }
    }

    private void collectOnce() {
        try {
            latest.set(List.copyOf(frames.get()));
        } catch (RuntimeException e) {
            // an exception would cancel the schedule: show it and try again next time
            latest.set(List.of("monitor: " + Text.describe(e) + ", retrying"));
        }
    }

    private void draw(Display display, List<String> body) {
        Size size = terminal.getSize();
        int rows = size.getRows() > 1 ? size.getRows() : 24;
        int cols = size.getColumns() > 1 ? size.getColumns() : 80;
        display.resize(Size.of(cols, rows));
        display.update(screen(body, rows, cols, footer), 0);
        terminal.flush();
    }

    /**
     * Fits a frame to the screen: at most {@code rows - 1} body lines (the last says how many more
     * there are when it does not fit), each cut below {@code cols} so the terminal never wraps, and
     * the footer on the last row. Lines saying DOWN or STALE/stale are red.
     */
    static List<AttributedString> screen(List<String> body, int rows, int cols, String footer) {
        List<AttributedString> out = new ArrayList<>(rows);
        int room = rows - 1;
        for (int i = 0; i < body.size() && out.size() < room; i++) {
            String line = body.get(i);
            if (out.size() == room - 1 && body.size() > room) {
                line = "… " + (body.size() - i) + " more lines: enlarge the terminal (or use --once)";
            }
            line = Text.cut(line, cols - 1);
            out.add(isAlert(line) ? new AttributedString(line, ALERT) : new AttributedString(line));
        }
        while (out.size() < room) {
            out.add(AttributedString.EMPTY);
        }
        out.add(new AttributedString(Text.cut(footer, cols - 1), AttributedStyle.INVERSE));
        return out;
    }

    private static boolean isAlert(String line) {
        return line.contains("DOWN") || line.contains("STALE") || line.endsWith(" stale");
    }

    private static void awaitStop(ScheduledExecutorService collector) {
        try {
            collector.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
