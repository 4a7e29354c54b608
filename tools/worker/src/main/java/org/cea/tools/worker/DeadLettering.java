package org.cea.tools.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cea.redisio.DeadLetters;
import org.cea.tsdb.Rejection;
import org.cea.tsdb.StoreUnavailableException;
import org.cea.tsdb.WriteResult;

/**
 * Moves the entries the worker cannot store to {@code can:dead} (with the reason) and
 * acknowledges them, and counts them; decides which refusals are the rows' fault and which the
 * database's. Used by the loop thread only.
 */
final class DeadLettering {
    private final DeadLetters deadLetters;
    private final String stream;
    private final String group;
    private final WorkerCounters counters;

    DeadLettering(DeadLetters deadLetters, WorkerSettings settings, WorkerCounters counters) {
        this.deadLetters = deadLetters;
        this.stream = settings.consumer().stream();
        this.group = settings.consumer().group();
        this.counters = counters;
    }

    /** Dead-letters and acknowledges {@code letters} (none: nothing happens); the last reason becomes the last error. */
    void deadLetter(List<DeadLetters.Letter> letters) {
        if (!letters.isEmpty()) {
            deadLetters.moveAndAck(stream, group, letters);
            counters.deadLettered += letters.size();
            counters.lastError = letters.get(letters.size() - 1).reason();
        }
    }

    /**
     * Dead-letters the entry behind each row the database refused. A refused reading dead-letters
     * its entry too (its message row is stored; a replay of the letter skips it): the reading would
     * otherwise be acknowledged and lost.
     *
     * @throws StoreUnavailableException the database refused every row of a batch of several
     */
    void settleRejected(BatchPreparer.Prepared p, WriteResult r) {
        if (r.rejected().isEmpty()) {
            return;
        }
        Map<String, DeadLetters.Letter> refused = new LinkedHashMap<>();
        for (Rejection rej : r.rejected()) {
            BatchPreparer.Item item = p.owner(rej);
            refused.putIfAbsent(item.id(), new DeadLetters.Letter(item.id(), item.fields(),
                    "database rejected " + rej.describe()));
        }
        settleRefused(p, new ArrayList<>(refused.values()));
    }

    /**
     * Dead-letters the entries of {@code p} the database refused one by one.
     *
     * @throws StoreUnavailableException the database refused every row of a batch of several
     */
    void settleRefused(BatchPreparer.Prepared p, List<DeadLetters.Letter> refused) {
        refuseUnlessSystemic(p, refused);
        deadLetter(refused);
    }

    /**
     * A database that refuses every row of a batch of several (permissions, a broken schema) has a
     * problem of its own: retry later rather than dead-letter good data.
     */
    private static void refuseUnlessSystemic(BatchPreparer.Prepared p, List<DeadLetters.Letter> refused) {
        if (p.items().size() > 1 && refused.size() == p.items().size()) {
            throw new StoreUnavailableException("database refused all " + refused.size() + " rows of a batch, e.g. "
                    + refused.get(0).reason(), null);
        }
    }
}
