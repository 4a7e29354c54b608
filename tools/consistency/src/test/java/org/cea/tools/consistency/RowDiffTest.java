package org.cea.tools.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.cea.tsdb.DigestRow;
import org.junit.jupiter.api.Test;

class RowDiffTest {
    private static DigestRow r(long us, String raw) {
        return new DigestRow(us, 0x101, 8, raw);
    }

    @Test
    void aDuplicateIsOneRowOnlyOnTheSideThatHasItTwice() {
        List<DigestRow> left = List.of(r(1, "A"), r(2, "B"), r(3, "C"));
        List<DigestRow> right = List.of(r(1, "A"), r(2, "B"), r(2, "B"), r(3, "C"));
        assertEquals(new RowDiff(List.of(), 0, List.of(r(2, "B")), 1), RowDiff.of(left, right, 10));
    }

    @Test
    void aChangedRowIsOnBothSidesAndAMissingOneOnOne() {
        List<DigestRow> left = List.of(r(1, "A"), r(2, "B2"), r(3, "C"), r(4, "D"));
        List<DigestRow> right = List.of(r(1, "A"), r(2, "B"), r(4, "D"));
        assertEquals(new RowDiff(List.of(r(2, "B2"), r(3, "C")), 2, List.of(r(2, "B")), 1), RowDiff.of(left, right, 10));
    }

    @Test
    void keepsTheFirstRowsAndCountsAll() {
        List<DigestRow> left = List.of(r(1, "A"), r(2, "B"), r(3, "C"));
        assertEquals(new RowDiff(List.of(r(1, "A")), 3, List.of(), 0), RowDiff.of(left, List.of(), 1));
        assertEquals(new RowDiff(List.of(), 3, List.of(), 0), RowDiff.of(left, List.of(), 0));
        assertEquals(new RowDiff(List.of(), 0, List.of(), 0), RowDiff.of(left, left, 5));
    }
}
