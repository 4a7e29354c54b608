package org.cea.redisio;

import org.cea.candecode.CanFrame;
import org.cea.candecode.Hex;

/**
 * One spooled entry as one line of text:
 * {@code <entryId> <tsMicros> <0xID> <dlc> <DATAHEX|-> <flags|->\n}, the id as in the {@code can:raw}
 * {@code id} field (8 hex digits when extended), the flags as {@link StreamSchema#flags} letters.
 */
final class SpoolLine {
    private SpoolLine() {
    }

    /** Appends the line of {@code e}, with its newline. */
    static void format(FrameEntry e, StringBuilder sb) {
        CanFrame f = e.frame();
        sb.append(e.entryId()).append(' ').append(f.timestampMicros()).append(' ').append(f.idHex()).append(' ')
                .append(f.dlc()).append(' ');
        sb.append(f.length() == 0 ? "-" : Hex.compact(f.data())).append(' ');
        String flags = StreamSchema.flags(f);
        sb.append(flags.isEmpty() ? "-" : flags).append('\n');
    }

    /**
     * The entry of a line (without its newline).
     *
     * @throws IllegalArgumentException the line is not an entry (damage), with the reason
     */
    static FrameEntry parse(String line) {
        String[] p = line.split(" ");
        if (p.length != 6) {
            throw new IllegalArgumentException("expected 6 fields, found " + p.length + ": \"" + line + "\"");
        }
        try {
            long ts = Long.parseLong(p[1]);
            if (!p[2].startsWith("0x")) {
                throw new IllegalArgumentException("id must start with 0x: \"" + p[2] + "\"");
            }
            int id = (int) Long.parseLong(p[2].substring(2), 16);
            boolean extended = p[2].length() == 10;
            int dlc = Integer.parseInt(p[3]);
            byte[] data = "-".equals(p[4]) ? new byte[0] : Hex.parseSpaced(p[4]);
            String flags = "-".equals(p[5]) ? "" : p[5];
            return new FrameEntry(p[0], StreamSchema.frame(id, extended, flags, dlc, data, ts));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number in \"" + line + "\": " + e.getMessage(), e);
        }
    }
}
