package org.cea.tools.migrate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.cea.tsdb.Times;

/**
 * The source side of a verification, fed converted rows in id order: by the verifier's own pass
 * over SQLite, or by a migration run that read the whole range itself (so a fresh migration
 * reads the SQLite file once).
 */
final class SourceDigest {
    private final VerifyOptions options;
    private final VerifySide side = new VerifySide();
    private final Random random;
    private final MessageDigest qmd = md5();
    private final RangeBuilder ranges;
    private long seen;
    private boolean finished;

    SourceDigest(VerifyOptions options) {
        this.options = options;
        this.random = new Random(options.seed());
        this.ranges = new RangeBuilder(options.rangeSize(), side.ranges);
    }

    void accept(ConvertedRow c) {
        if (c instanceof MessageRecord m) {
            ranges.add(m);
            side.days.merge(Math.floorDiv(m.timestampMicros(), Times.MICROS_PER_DAY), 1L, Long::sum);
            reservoir(m);
        } else {
            qmd.update(((side.quarantined++ == 0 ? "" : ",") + c.id()).getBytes(StandardCharsets.US_ASCII));
        }
    }

    private void reservoir(MessageRecord m) {
        seen++;
        if (side.sample.size() < options.sampleSize()) {
            side.sample.add(m);
        } else {
            long j = (long) (random.nextDouble() * seen);
            if (j < options.sampleSize()) {
                side.sample.set((int) j, m);
            }
        }
    }

    VerifySide finish() {
        if (!finished) {
            finished = true;
            ranges.finish();
            side.quarantineMd5 = side.quarantined == 0 ? null : HexFormat.of().formatHex(qmd.digest());
        }
        return side;
    }

    /** Accumulates source rows (in id order) into per-range sums. */
    private static final class RangeBuilder {
        private final long size;
        private final List<VerifySide.RangeSum> out;
        private final MessageDigest md = md5();
        private long bucket = Long.MIN_VALUE;
        private long count;
        private long minId;
        private long maxId;
        private long minTs;
        private long maxTs;
        private long xor;

        RangeBuilder(long size, List<VerifySide.RangeSum> out) {
            this.size = size;
            this.out = out;
        }

        void add(MessageRecord m) {
            long b = m.id() / size;
            if (b != bucket) {
                finish();
                bucket = b;
                minId = m.id();
                minTs = Long.MAX_VALUE;
                maxTs = Long.MIN_VALUE;
            }
            xor ^= RowDigest.hash(md, m);
            count++;
            maxId = m.id();
            minTs = Math.min(minTs, m.timestampMicros());
            maxTs = Math.max(maxTs, m.timestampMicros());
        }

        void finish() {
            if (count > 0) {
                out.add(new VerifySide.RangeSum(bucket, count, minId, maxId, minTs, maxTs, xor));
            }
            count = 0;
            xor = 0;
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every Java platform", e);
        }
    }
}
