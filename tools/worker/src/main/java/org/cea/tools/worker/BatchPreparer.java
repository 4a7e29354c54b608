package org.cea.tools.worker;

import java.util.ArrayList;
import java.util.List;
import org.cea.candecode.CanFrame;
import org.cea.candecode.DecodeResult;
import org.cea.candecode.DecodedMessage;
import org.cea.candecode.FrameDecoder;
import org.cea.candecode.facility.FacilityProcessor;
import org.cea.candecode.facility.SensorReading;
import org.cea.redisio.DeadLetters;
import org.cea.redisio.LiveUpdate;
import org.cea.redisio.MalformedEntryException;
import org.cea.redisio.RawEntry;
import org.cea.redisio.StreamSchema;
import org.cea.tsdb.BadDataException;
import org.cea.tsdb.MessageRow;
import org.cea.tsdb.ReadingRow;
import org.cea.tsdb.Rejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns stream entries into database rows and live updates: parse ({@link StreamSchema}), decode
 * (DBC), derive and validate readings (facility profile). Every entry ends up in exactly one of:
 * a message row (known or unknown CAN id), a dead letter (cannot be parsed or stored), or the
 * lost list (body trimmed). Not thread-safe: the facility processor keeps per-room state.
 */
final class BatchPreparer {
    private static final Logger LOG = LoggerFactory.getLogger(BatchPreparer.class);

    private final FrameDecoder decoder;
    private final FacilityProcessor processor;

    BatchPreparer(FrameDecoder decoder, FacilityProcessor processor) {
        this.decoder = decoder;
        this.processor = processor;
    }

    /**
     * One entry that is to be stored.
     *
     * @param id       stream entry id
     * @param fields   the entry's fields (for a dead letter if the database refuses the row)
     * @param message  its {@code can_messages} row
     * @param readings its valid readings
     */
    record Item(String id, java.util.Map<String, String> fields, MessageRow message, List<ReadingRow> readings) {
        Item {
            readings = List.copyOf(readings);
        }
    }

    /**
     * A prepared batch.
     *
     * @param items entries to store, then acknowledge
     * @param live  valid readings for the live keys
     * @param bad   entries to dead-letter now
     * @param lost  entries whose body was trimmed, to acknowledge and count
     */
    record Prepared(List<Item> items, List<LiveUpdate> live, List<DeadLetters.Letter> bad, List<String> lost) {
        Prepared {
            items = List.copyOf(items);
            live = List.copyOf(live);
            bad = List.copyOf(bad);
            lost = List.copyOf(lost);
        }

        /** Number of entries this batch covers. */
        int entries() {
            return items.size() + bad.size() + lost.size();
        }

        /** Ids of the items. */
        List<String> itemIds() {
            List<String> out = new ArrayList<>(items.size());
            items.forEach(i -> out.add(i.id()));
            return out;
        }

        /** All message rows. */
        List<MessageRow> messages() {
            List<MessageRow> out = new ArrayList<>(items.size());
            items.forEach(i -> out.add(i.message()));
            return out;
        }

        /**
         * The item a rejected row of {@link #messages()} or {@link #readings()} came from.
         *
         * @throws IllegalArgumentException when the index is outside this batch
         */
        Item owner(Rejection r) {
            if (r.table() == Rejection.Table.MESSAGES) {
                if (r.index() >= items.size()) {
                    throw new IllegalArgumentException("message index " + r.index() + " outside a batch of " + items.size());
                }
                return items.get(r.index());
            }
            int end = 0;
            for (Item i : items) {
                end += i.readings().size();
                if (r.index() < end) {
                    return i;
                }
            }
            throw new IllegalArgumentException("reading index " + r.index() + " outside a batch of " + end + " readings");
        }

        /** All reading rows. */
        List<ReadingRow> readings() {
            List<ReadingRow> out = new ArrayList<>(items.size() * 2);
            items.forEach(i -> out.addAll(i.readings()));
            return out;
        }
    }

    /** Prepares a batch; never throws for bad entries (they become dead letters). */
    Prepared prepare(List<RawEntry> entries) {
        List<Item> items = new ArrayList<>(entries.size());
        List<LiveUpdate> live = new ArrayList<>(entries.size() * 2);
        List<DeadLetters.Letter> bad = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        for (RawEntry e : entries) {
            if (e.trimmed()) {
                lost.add(e.id());
                continue;
            }
            CanFrame frame;
            DecodeResult decoded;
            MessageRow row;
            try {
                frame = StreamSchema.fromFields(e.id(), e.fields());
                decoded = decoder.decode(frame);
                row = MessageRow.from(decoded, e.id());
            } catch (MalformedEntryException | BadDataException ex) {
                bad.add(new DeadLetters.Letter(e.id(), e.fields(), ex.getMessage()));
                continue;
            }
            List<ReadingRow> readings = new ArrayList<>(4);
            if (decoded instanceof DecodedMessage m) {
                addReadings(e.id(), m, readings, live);
            }
            items.add(new Item(e.id(), e.fields(), row, readings));
        }
        return new Prepared(items, live, bad, lost);
    }

    private void addReadings(String entryId, DecodedMessage m, List<ReadingRow> readings, List<LiveUpdate> live) {
        List<SensorReading> rs;
        try {
            rs = processor.process(m);
        } catch (RuntimeException ex) {
            // the message row is still stored; only its derived readings are missing
            LOG.error("entry {}: readings of {} could not be computed", entryId, m.messageType(), ex);
            return;
        }
        for (SensorReading r : rs) {
            if (!r.valid()) {
                LOG.debug("entry {}: invalid reading {}={}: {}", entryId, r.sensor(), r.value(), r.problem());
                continue;
            }
            readings.add(new ReadingRow(r.timestampMicros(), r.sensor(), r.value()));
            live.add(new LiveUpdate(r.sensor(), r.value(), r.unit() == null ? "" : r.unit(),
                    Math.floorDiv(r.timestampMicros(), 1000)));
        }
    }

    /** Readings rejected as invalid since start (out of range, faulted). */
    long invalidReadings() {
        return processor.invalidReadings();
    }
}
