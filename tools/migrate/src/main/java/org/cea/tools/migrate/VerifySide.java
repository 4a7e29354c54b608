package org.cea.tools.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Everything one side (source or target) of a verification says about ids {@code fromId..toId}. */
final class VerifySide {
    final List<RangeSum> ranges = new ArrayList<>();
    final TreeMap<Long, Long> days = new TreeMap<>();
    long quarantined;
    String quarantineMd5;
    final List<MessageRecord> sample = new ArrayList<>();

    /** Checksum summary of one id range: ids in {@code [bucket*size, (bucket+1)*size)}. */
    record RangeSum(long bucket, long count, long minId, long maxId, long minTs, long maxTs, long xor) {
    }

    long count() {
        return ranges.stream().mapToLong(RangeSum::count).sum();
    }
}
