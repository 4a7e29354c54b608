package org.cea.redisio;

/** Stream entry id arithmetic and the protocol's sentinel ids. */
final class EntryIds {
    /** XREADGROUP: entries never delivered to any consumer of the group. */
    static final String UNDELIVERED = ">";
    /** The smallest id: "from the beginning" for XREADGROUP pending reads, XGROUP CREATE, XAUTOCLAIM. */
    static final String START = "0-0";

    private EntryIds() {
    }

    /** Compares two ids numerically ({@code ms-seq}). */
    static int compare(String a, String b) {
        long[] x = parse(a);
        long[] y = parse(b);
        int c = Long.compareUnsigned(x[0], y[0]);
        return c != 0 ? c : Long.compareUnsigned(x[1], y[1]);
    }

    private static long[] parse(String id) {
        int dash = id.indexOf('-');
        if (dash < 0) {
            return new long[] {Long.parseUnsignedLong(id), 0};
        }
        return new long[] {Long.parseUnsignedLong(id.substring(0, dash)), Long.parseUnsignedLong(id.substring(dash + 1))};
    }
}
