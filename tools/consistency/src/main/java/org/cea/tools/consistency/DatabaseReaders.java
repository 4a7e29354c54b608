package org.cea.tools.consistency;

import java.util.ArrayList;
import java.util.List;
import org.cea.tsdb.MinuteDigests;
import org.cea.tsdb.TsdbException;

/**
 * The worker's database opened several times: PostgreSQL hashes every row of its side, so two
 * connections let it use two cores while the legacy side is read (about 1.6 times the rate of one
 * on this project's 2-core machine). Closes them all, in order; a failed open closes the ones
 * opened before it.
 */
final class DatabaseReaders implements AutoCloseable {
    /** Connections to the worker's database. */
    static final int CONNECTIONS = 2;

    private final List<MinuteDigests> readers;

    private DatabaseReaders(List<MinuteDigests> readers) {
        this.readers = List.copyOf(readers);
    }

    /**
     * @param url the worker's database
     * @param n   readers, &gt;= 1
     * @throws TsdbException as {@link MinuteDigests#open} does
     */
    static DatabaseReaders open(String url, int n) {
        List<MinuteDigests> opened = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                opened.add(MinuteDigests.open(url));
            }
            return new DatabaseReaders(opened);
        } catch (RuntimeException e) {
            for (MinuteDigests d : opened) {
                try {
                    d.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** The readers, the first one for the report's header. */
    List<MinuteDigests> all() {
        return readers;
    }

    /** The first reader. */
    MinuteDigests first() {
        return readers.get(0);
    }

    @Override
    public void close() {
        for (MinuteDigests d : readers) {
            d.close();
        }
    }
}
