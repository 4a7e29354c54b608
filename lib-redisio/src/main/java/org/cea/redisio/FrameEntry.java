package org.cea.redisio;

import java.util.Objects;
import org.cea.candecode.CanFrame;

/**
 * A frame with the stream entry id it is (or will be) stored under. The scanner assigns ids
 * itself (see {@link EntryIdGenerator}) so that re-sending an entry after a broken connection or
 * replaying the spool is idempotent: Redis rejects an id at or below the stream's top.
 *
 * <p>A value class rather than a record so that ids made by {@link EntryIdGenerator#nextEntry}
 * stay two numbers until their text is asked for: the stream writer encodes them straight from
 * the numbers, which saved a string, its validation and a third of the stream thread's
 * allocation per frame at max-speed replay (scripts/bench-scanner.sh). Equality is by id text
 * and frame, as before.
 */
public final class FrameEntry {
    private final long millis;
    private final long seq;
    private final CanFrame frame;
    /** The id text: given, or formatted on first use (a benign race, like String's hash). */
    private String entryId;

    /**
     * An entry with an id given as text.
     *
     * @param entryId explicit stream entry id {@code <ms>-<seq>}, both parts &gt;= 0
     * @param frame   the frame
     * @throws IllegalArgumentException when the id is malformed
     */
    public FrameEntry(String entryId, CanFrame frame) {
        this.frame = Objects.requireNonNull(frame, "frame");
        if (!EntryIdGenerator.isWellFormed(entryId)) {
            EntryIdGenerator.parse(entryId);
        }
        // sent and compared as given; the numbers are only used for generated ids
        this.entryId = entryId;
        this.millis = -1;
        this.seq = -1;
    }

    /** An id from {@link EntryIdGenerator}: both parts already known to be &gt;= 0. */
    FrameEntry(long millis, long seq, CanFrame frame) {
        this.millis = millis;
        this.seq = seq;
        this.frame = frame;
    }

    /** The explicit stream entry id {@code <ms>-<seq>}. */
    public String entryId() {
        String s = entryId;
        if (s == null) {
            s = millis + "-" + seq;
            entryId = s;
        }
        return s;
    }

    /** The frame. */
    public CanFrame frame() {
        return frame;
    }

    /** The id text when it was given as text (it is then sent as given), else null. */
    String givenId() {
        return entryId;
    }

    /** The millisecond part of a generated id (-1 when the id was given as text). */
    long millis() {
        return millis;
    }

    /** The sequence part of a generated id (-1 when the id was given as text). */
    long seq() {
        return seq;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameEntry e && entryId().equals(e.entryId()) && frame.equals(e.frame);
    }

    @Override
    public int hashCode() {
        return 31 * entryId().hashCode() + frame.hashCode();
    }

    @Override
    public String toString() {
        return "FrameEntry[entryId=" + entryId() + ", frame=" + frame + "]";
    }
}
