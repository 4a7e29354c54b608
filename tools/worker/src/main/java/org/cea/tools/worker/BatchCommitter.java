package org.cea.tools.worker;

import java.util.ArrayList;
import java.util.List;
import org.cea.redisio.DeadLetters;
import org.cea.tsdb.StoreUnavailableException;
import org.cea.tsdb.TsdbException;
import org.cea.tsdb.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits one prepared batch in one transaction on the database thread; a batch refused as a
 * whole is written entry by entry and the refused ones dead-lettered, as is the entry behind a
 * row refused inside a batch. Nothing is acknowledged here. Used by the loop thread only.
 */
final class BatchCommitter {
    private static final Logger LOG = LoggerFactory.getLogger(BatchCommitter.class);

    private final DbThread dbThread;
    private final DeadLettering deadLettering;

    BatchCommitter(DbThread dbThread, DeadLettering deadLettering) {
        this.dbThread = dbThread;
        this.deadLettering = deadLettering;
    }

    /**
     * Writes {@code p}; {@code whileWaiting} (may be null) runs on this thread while the commit is
     * in progress (see {@link DbThread#write}).
     *
     * @throws StoreUnavailableException nothing of {@code p} is known to be committed; retry later
     */
    void commit(BatchPreparer.Prepared p, Runnable whileWaiting) {
        if (p.items().isEmpty()) {
            return;
        }
        WriteResult r;
        try {
            r = dbThread.write(p.messages(), p.readings(), whileWaiting);
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (TsdbException e) {
            LOG.warn("database refused a batch of {} ({}); writing entry by entry", p.items().size(), e.getMessage());
            commitOneByOne(p);
            return;
        }
        deadLettering.settleRejected(p, r);
    }

    private void commitOneByOne(BatchPreparer.Prepared p) {
        List<DeadLetters.Letter> refused = new ArrayList<>();
        for (BatchPreparer.Item item : p.items()) {
            try {
                WriteResult r = dbThread.write(List.of(item.message()), item.readings(), null);
                if (!r.rejected().isEmpty()) {
                    refused.add(new DeadLetters.Letter(item.id(), item.fields(), "database rejected: " + r.rejected().get(0).describe()));
                }
            } catch (StoreUnavailableException e) {
                throw e;
            } catch (TsdbException e) {
                refused.add(new DeadLetters.Letter(item.id(), item.fields(), "database rejected: " + e.getMessage()));
            }
        }
        deadLettering.settleRefused(p, refused);
    }
}
