package org.cea.tools.automation;

import java.util.List;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamGroupInfo;
import redis.clients.jedis.resps.StreamPendingSummary;

/**
 * How far a consumer group is behind on a stream: entries pending (delivered, not acknowledged)
 * plus entries not yet delivered, and the Unix ms of the oldest of them (from its entry id, which
 * the scanner assigns as {@code <ms>-<seq>}).
 */
final class Backlog {
    private Backlog() {
    }

    /** {entries, oldest ms (0 when none)}; {-1, 0} when the group does not exist. */
    static long[] of(UnifiedJedis jedis, String stream, String group) {
        List<StreamGroupInfo> groups;
        try {
            groups = jedis.xinfoGroups(stream);
        } catch (redis.clients.jedis.exceptions.JedisDataException e) {
            return new long[] {-1, 0};   // no such stream yet (nothing was ever sent)
        }
        for (StreamGroupInfo g : groups) {
            if (!group.equals(g.getName())) {
                continue;
            }
            long pending = g.getPending();
            Object lagObj = g.getGroupInfo().get("lag");
            long undelivered = lagObj instanceof Long l ? l : 0;
            long oldest = 0;
            if (pending > 0) {
                StreamPendingSummary s = jedis.xpending(stream, group);
                if (s.getMinId() != null) {
                    oldest = s.getMinId().getTime();
                }
            }
            if (oldest == 0 && undelivered > 0) {
                StreamEntryID last = g.getLastDeliveredId();
                List<StreamEntry> next = jedis.xrange(stream, "(" + last, "+", 1);
                if (!next.isEmpty()) {
                    oldest = next.get(0).getID().getTime();
                }
            }
            return new long[] {pending + undelivered, oldest};
        }
        return new long[] {-1, 0};
    }
}
