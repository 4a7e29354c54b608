package org.cea.redisio;

import java.util.Objects;
import org.cea.candecode.CanFrame;

/**
 * A frame with the stream entry id it is (or will be) stored under. The scanner assigns ids
 * itself (see {@link EntryIdGenerator}) so that re-sending an entry after a broken connection or
 * replaying the spool is idempotent: Redis rejects an id at or below the stream's top.
 *
 * @param entryId explicit stream entry id {@code <ms>-<seq>}, both parts &gt;= 0
 * @param frame   the frame
 */
public record FrameEntry(String entryId, CanFrame frame) {
    /** Validates the id shape. */
    public FrameEntry {
        Objects.requireNonNull(frame, "frame");
        if (!EntryIdGenerator.isWellFormed(entryId)) {
            EntryIdGenerator.parse(entryId);
        }
    }
}
