package org.cea.tools.consistency;

import java.util.ArrayList;
import java.util.List;
import org.cea.tsdb.DigestRow;

/**
 * The rows of two sorted lists that the other lacks, as multisets: a row present twice on one side
 * and once on the other is one row "only" on the first.
 *
 * @param onlyLeft       the first {@code keep} rows present only on the left
 * @param onlyLeftTotal  how many rows are only on the left
 * @param onlyRight      the first {@code keep} rows present only on the right
 * @param onlyRightTotal how many rows are only on the right
 */
record RowDiff(List<DigestRow> onlyLeft, long onlyLeftTotal, List<DigestRow> onlyRight, long onlyRightTotal) {

    /**
     * Merges two lists sorted in {@link DigestRow#ORDER}.
     *
     * @param left  sorted rows
     * @param right sorted rows
     * @param keep  rows kept per side, &gt;= 0
     * @return what each side has that the other has not
     */
    static RowDiff of(List<DigestRow> left, List<DigestRow> right, int keep) {
        List<DigestRow> l = new ArrayList<>();
        List<DigestRow> r = new ArrayList<>();
        long nl = 0;
        long nr = 0;
        int i = 0;
        int j = 0;
        while (i < left.size() || j < right.size()) {
            int c = i == left.size() ? 1 : j == right.size() ? -1 : DigestRow.ORDER.compare(left.get(i), right.get(j));
            if (c == 0) {
                i++;
                j++;
            } else if (c < 0) {
                if (nl++ < keep) {
                    l.add(left.get(i));
                }
                i++;
            } else {
                if (nr++ < keep) {
                    r.add(right.get(j));
                }
                j++;
            }
        }
        return new RowDiff(l, nl, r, nr);
    }
}
