package org.cea.candecode.dbc;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code BO_} message.
 *
 * @param id          frame id: 0..0x7FF standard, 0..0x1FFFFFFF extended
 * @param extended    29-bit id ({@code BO_} id with bit 31 set, or above 0x7FF)
 * @param name        message name, non-empty
 * @param length      payload length in bytes, 0..64
 * @param sender      transmitting node (may be {@code Vector__XXX})
 * @param signals     signals in DBC order
 * @param comment     CM_ text, or null
 * @param cycleTimeMs GenMsgCycleTime in milliseconds: the message's BA_ value, else the BA_DEF_DEF_ default,
 *                    or null when neither is given
 * @param attributes  BA_ attribute values for this message, as written (strings unquoted)
 */
public record DbcMessage(int id, boolean extended, String name, int length, String sender, List<DbcSignal> signals,
                         String comment, Integer cycleTimeMs, Map<String, String> attributes) {

    /** Validates the fields and copies the collections. */
    public DbcMessage {
        int maxId = extended ? 0x1FFFFFFF : 0x7FF;
        if (id < 0 || id > maxId) {
            throw new IllegalArgumentException("message " + name + ": id must be 0.." + Integer.toHexString(maxId)
                    + ", was 0x" + Integer.toHexString(id));
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("message name must be non-empty");
        }
        if (length < 0 || length > 64) {
            throw new IllegalArgumentException("message " + name + ": length must be 0..64 bytes, was " + length);
        }
        signals = List.copyOf(signals);
        attributes = Map.copyOf(attributes);
        long muxes = signals.stream().filter(DbcSignal::isMultiplexer).count();
        if (muxes > 1) {
            throw new IllegalArgumentException("message " + name + ": at most one multiplexer signal (M), found " + muxes);
        }
    }

    /** The multiplexer switch signal, if the message is multiplexed. */
    public Optional<DbcSignal> multiplexer() {
        return signals.stream().filter(DbcSignal::isMultiplexer).findFirst();
    }

    /** The signal of that name. */
    public Optional<DbcSignal> signal(String signalName) {
        return signals.stream().filter(s -> s.name().equals(signalName)).findFirst();
    }
}
