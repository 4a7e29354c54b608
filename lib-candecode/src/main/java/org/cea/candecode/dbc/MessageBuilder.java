package org.cea.candecode.dbc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cea.candecode.ConfigException;

/** A message under construction (VAL_, CM_, BA_ and SIG_VALTYPE_ come after BO_). */
final class MessageBuilder {
    final int id;
    final boolean extended;
    final String name;
    final int length;
    final String sender;
    final int line;
    final Map<String, SignalBuilder> signals = new LinkedHashMap<>();
    final Map<String, String> attributes = new LinkedHashMap<>();
    String comment;
    Integer cycleTime;

    MessageBuilder(int id, boolean extended, String name, int length, String sender, int line) {
        this.id = id;
        this.extended = extended;
        this.name = name;
        this.length = length;
        this.sender = sender;
        this.line = line;
    }

    void addSignal(SignalBuilder s) {
        signals.put(s.name, s);
    }

    DbcMessage build(String source, String defaultCycleTime) {
        List<DbcSignal> built = new ArrayList<>();
        for (SignalBuilder s : signals.values()) {
            built.add(s.build(source, this));
        }
        Integer cycle = cycleTime;
        if (cycle == null && defaultCycleTime != null) {
            try {
                cycle = (int) Double.parseDouble(defaultCycleTime);
            } catch (NumberFormatException e) {
                cycle = null;
            }
        }
        try {
            return new DbcMessage(id, extended, name, length, sender, built, comment, cycle, attributes);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source, "line " + line + ": " + e.getMessage(), e);
        }
    }
}
