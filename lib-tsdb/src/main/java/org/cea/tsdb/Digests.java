package org.cea.tsdb;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;

/** What the two {@link MinuteDigests} implementations share: result order, argument checks, open failures. */
final class Digests {
    /** Digests sorted as {@link MinuteDigests#digests} promises. */
    static final Comparator<MinuteDigest> ORDER = Comparator.comparingLong(MinuteDigest::minuteMicros)
            .thenComparingInt(MinuteDigest::canId);

    private Digests() {
    }

    /** Checks the limit of {@link MinuteDigests#rows}. */
    static void checkLimit(int limit) {
        if (limit < 1 || limit > MinuteDigests.MAX_ROWS) {
            throw new BadDataException("rows: limit must be 1.." + MinuteDigests.MAX_ROWS + ", was " + limit);
        }
    }

    /**
     * What a failed open throws: {@code e} as the library's exception (by SQLSTATE), with the
     * connection opened so far closed (a close failure added as suppressed).
     */
    static TsdbException openFailed(String what, StoreUrl url, Exception e, Connection opened) {
        TsdbException fail = e instanceof TsdbException t ? t : e instanceof SQLException s
                ? SqlErrors.wrap(what, url, s) : new TsdbException(what + " " + url + " failed: " + e.getMessage(), e);
        if (opened != null) {
            try {
                opened.close();
            } catch (SQLException suppressed) {
                fail.addSuppressed(suppressed);
            }
        }
        return fail;
    }

}
