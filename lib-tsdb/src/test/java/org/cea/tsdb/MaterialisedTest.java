package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which aggregate buckets history may read: below the watermark, outside every invalidation. */
class MaterialisedTest {
    private static final long H = Buckets.HOUR;

    private static String show(List<long[]> segs) {
        List<String> out = new ArrayList<>();
        for (long[] s : segs) {
            out.add(s[0] / H + "-" + s[1] / H);
        }
        return String.join(",", out);
    }

    @Test
    void onlyWholeBucketsBelowTheWatermarkCount() {
        assertEquals("0-5", show(Materialised.segments(H, 0, 10 * H, 5 * H + 30, List.of())));
        assertEquals("0-10", show(Materialised.segments(H, 0, 10 * H, Long.MAX_VALUE, List.of())));
        assertEquals("", show(Materialised.segments(H, 0, 10 * H, Long.MIN_VALUE, List.of())));
    }

    @Test
    void everyBucketAnInvalidationTouchesIsLeftToRawRows() {
        // created WITH NO DATA: all time invalid; a policy refreshed hours 6..10 only
        List<long[]> inv = List.of(new long[] {Long.MIN_VALUE, 6 * H - 1}, new long[] {8 * H + 5, 8 * H + 5});
        assertEquals("6-8,9-10", show(Materialised.segments(H, 0, 10 * H, 10 * H, inv)));
        // a late row at the very end of hour 2 spoils hour 2 only; two overlapping ranges merge
        inv = List.of(new long[] {3 * H - 1, 3 * H - 1}, new long[] {4 * H, 5 * H}, new long[] {4 * H + 1, 4 * H + 2});
        assertEquals("0-2,3-4,6-10", show(Materialised.segments(H, 0, 10 * H, Long.MAX_VALUE, inv)));
    }

    @Test
    void tooManySegmentsKeepTheLongestAndTheComplementCoversTheRest() {
        List<long[]> inv = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            inv.add(new long[] {(2 * i + 1) * H, (2 * i + 1) * H});
        }
        inv.add(new long[] {300 * H, 300 * H}); // segment 200..300 is the longest
        List<long[]> segs = Materialised.segments(H, 0, 400 * H, Long.MAX_VALUE, inv);
        assertEquals(Materialised.MAX_SEGMENTS, segs.size());
        assertEquals("200-300", show(segs.subList(segs.size() - 2, segs.size() - 1)));
        List<long[]> raw = Materialised.complement(segs, -5, 400 * H + 7);
        long covered = 0;
        for (long[] s : segs) {
            covered += s[1] - s[0];
        }
        for (long[] r : raw) {
            covered += r[1] - r[0];
        }
        assertEquals(400 * H + 12, covered);
    }
}
