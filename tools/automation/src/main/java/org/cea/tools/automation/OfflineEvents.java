package org.cea.tools.automation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.cea.redisio.AlertEvents;

/**
 * Transitions made while Redis was unreachable (at least "Redis unreachable" itself): notifiers
 * deliver them straight from here, and once Redis answers again they are recorded on
 * {@code alerts:events} with {@code notified_by} naming the notifiers that already sent them, so
 * nobody sends them twice. Held in memory: a kill -9 during the outage loses them (the alert state
 * is rebuilt from what Redis holds, and the outage is noticed again).
 */
final class OfflineEvents {
    private final AtomicLong seq = new AtomicLong();
    private final List<Entry> entries = new ArrayList<>();
    private volatile boolean redisDown;

    /** Set by the evaluation loop: while Redis is down the notifiers poll here instead of waiting on Redis. */
    void redisDown(boolean down) {
        redisDown = down;
    }

    /** True while the last evaluation could not reach Redis. */
    boolean redisDown() {
        return redisDown;
    }

    /** One buffered transition and the notifiers that delivered (or are delivering) it. */
    static final class Entry {
        final AlertEvents.Event event;
        final Set<String> delivered = ConcurrentHashMap.newKeySet();

        Entry(AlertEvents.Event event) {
            this.event = event;
        }
    }

    synchronized void add(List<AlertEvents.Event> events) {
        for (AlertEvents.Event e : events) {
            entries.add(new Entry(e.withEntryId("offline-" + e.ts() + "-" + seq.incrementAndGet())));
        }
    }

    synchronized boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The next entry {@code notifier} has not claimed; claims it. */
    synchronized Entry claim(String notifier) {
        for (Entry e : entries) {
            if (e.delivered.add(notifier)) {
                return e;
            }
        }
        return null;
    }

    /** A claimed delivery failed: unclaim, so it is tried again (from here or from the stream). */
    synchronized void unclaim(Entry e, String notifier) {
        e.delivered.remove(notifier);
    }

    /** Takes everything out for recording, each event with its {@code notified_by}. */
    synchronized List<AlertEvents.Event> drain() {
        List<AlertEvents.Event> out = new ArrayList<>();
        for (Entry e : entries) {
            out.add(new AlertEvents.Event(null, e.event.transition(), e.event.ts(), e.event.alert(), Set.copyOf(e.delivered)));
        }
        entries.clear();
        return out;
    }

    /** Puts back what could not be recorded (Redis failed again), in front. */
    synchronized void restore(List<AlertEvents.Event> events) {
        List<Entry> back = new ArrayList<>();
        for (AlertEvents.Event e : events) {
            Entry x = new Entry(e.withEntryId("offline-" + e.ts() + "-" + seq.incrementAndGet()));
            x.delivered.addAll(e.notifiedBy());
            back.add(x);
        }
        entries.addAll(0, back);
    }
}
