package org.cea.redisio;

import java.util.Objects;
import org.cea.candecode.CanFrame;

/**
 * Strictly increasing explicit stream entry ids {@code <ms>-<seq>} from a wall clock, the way
 * Redis's own {@code *} ids are made: the millisecond part never goes back, the sequence counts
 * entries within one millisecond. Not thread-safe: one per writer.
 */
public final class EntryIdGenerator {
    private long lastMs;
    private long lastSeq = -1;

    /** Starts at {@code 0-0}; call {@link #advancePast} with the stream's top id before use. */
    public EntryIdGenerator() {
    }

    /**
     * The next id.
     *
     * @param nowMillis wall-clock Unix milliseconds
     * @return an id strictly greater than every id returned or advanced past before
     */
    public String next(long nowMillis) {
        advance(nowMillis);
        return lastMs + "-" + lastSeq;
    }

    /**
     * The next id (as {@link #next}) with its frame; the id text is only formatted if asked for
     * (the stream writer encodes the two numbers directly).
     *
     * @param nowMillis wall-clock Unix milliseconds
     * @param frame     the frame
     * @return an entry whose id is strictly greater than every id returned or advanced past before
     */
    public FrameEntry nextEntry(long nowMillis, CanFrame frame) {
        Objects.requireNonNull(frame, "frame");
        advance(nowMillis);
        return new FrameEntry(lastMs, lastSeq, frame);
    }

    private void advance(long nowMillis) {
        if (nowMillis > lastMs) {
            lastMs = nowMillis;
            lastSeq = 0;
        } else {
            lastSeq++;
        }
    }

    /**
     * Makes later ids greater than {@code entryId} (the stream's last generated id, or the last
     * spooled id).
     *
     * @param entryId {@code <ms>-<seq>}
     * @throws IllegalArgumentException when the id is malformed
     */
    public void advancePast(String entryId) {
        long[] id = parse(entryId);
        if (id[0] > lastMs || (id[0] == lastMs && id[1] > lastSeq)) {
            lastMs = id[0];
            lastSeq = id[1];
        }
    }

    /** The last id handed out or advanced past, {@code 0--1} before any. */
    public String last() {
        return lastMs + "-" + lastSeq;
    }

    /**
     * Parses {@code <ms>-<seq>}.
     *
     * @return {ms, seq}
     * @throws IllegalArgumentException naming the id when it is malformed
     */
    public static long[] parse(String entryId) {
        if (entryId == null) {
            throw new IllegalArgumentException("entry id must not be null");
        }
        int dash = entryId.indexOf('-');
        try {
            long ms = Long.parseLong(entryId.substring(0, dash < 0 ? entryId.length() : dash));
            long seq = dash < 0 ? 0 : Long.parseLong(entryId.substring(dash + 1));
            if (ms < 0 || seq < 0) {
                throw new IllegalArgumentException("entry id parts must be >= 0, was \"" + entryId + "\"");
            }
            return new long[] {ms, seq};
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("entry id must be <ms>-<seq>, was \"" + entryId + "\"", e);
        }
    }

    /** A cheap check (hot path): digits, one dash, digits, at most 40 characters. */
    static boolean isWellFormed(String id) {
        if (id == null || id.isEmpty() || id.length() > 40) {
            return false;
        }
        int dash = -1;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '-' && dash < 0 && i > 0) {
                dash = i;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return dash > 0 && dash < id.length() - 1 && dash < 20 && id.length() - dash - 1 < 20;
    }

    /** Compares two ids numerically. */
    public static int compare(String a, String b) {
        long[] x = parse(a);
        long[] y = parse(b);
        int c = Long.compare(x[0], y[0]);
        return c != 0 ? c : Long.compare(x[1], y[1]);
    }
}
