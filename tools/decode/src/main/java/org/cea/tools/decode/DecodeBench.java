package org.cea.tools.decode;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.cea.candecode.CanFrame;
import org.cea.candecode.Candump;
import org.cea.candecode.CandumpReader;
import org.cea.candecode.DecodeResult;
import org.cea.candecode.DecodedMessage;
import org.cea.candecode.FrameDecoder;
import org.cea.candecode.facility.FacilityProfile;

/**
 * Decoder throughput on one thread (scripts/bench-decode.sh): generates a candump log of facility
 * frames, then reads it through {@link CandumpReader} and decodes every frame with
 * {@link FrameDecoder#forFacility}, after a warm-up pass. Prints frames per second.
 * Usage: {@code DecodeBench LOGFILE LINES ETCDIR}.
 */
public final class DecodeBench {
    private static final long TARGET = 2_000_000;
    private static final int RUNS = 3;

    private DecodeBench() {
    }

    /** Runs the benchmark; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: DecodeBench LOGFILE LINES ETCDIR");
            System.exit(2);
        }
        Path log = Path.of(args[0]);
        int lines = Integer.parseInt(args[1]);
        FrameDecoder decoder = FrameDecoder.forFacility(FacilityProfile.loadDefault(Path.of(args[2])));
        generate(log, lines);
        System.out.printf(Locale.ROOT, "generated %,d candump lines (%,d bytes) in %s%n", lines, Files.size(log), log);
        run(log, decoder, true);
        double[] best = new double[2];
        double[] readOnly = new double[2];
        for (int i = 0; i < RUNS; i++) {
            double[] rate = run(log, decoder, true);
            double[] read = run(log, decoder, false);
            System.out.printf(Locale.ROOT, "run %d: %,.0f frames/s per CPU second (%,.0f wall); readLine alone %,.0f lines/s%n",
                    i + 1, rate[0], rate[1], read[0]);
            best[0] = Math.max(best[0], rate[0]);
            best[1] = Math.max(best[1], rate[1]);
            readOnly[0] = Math.max(readOnly[0], read[0]);
        }
        System.out.printf(Locale.ROOT, "wall-clock best: %,.0f frames/s (includes time other processes took the core)%n",
                best[1]);
        System.out.printf(Locale.ROOT, "reading the lines alone (BufferedReader.readLine): %,.0f lines/s%n", readOnly[0]);
        System.out.printf(Locale.ROOT, "decode: %,.0f frames/s (target >= %,d) %s -- frames per second of the "
                + "JVM's CPU time (GC and JIT included): candump-line read + parse + facility decode%n", best[0], TARGET,
                best[0] >= TARGET ? "OK" : "BELOW TARGET");
    }

    /** Nodes 1..4 each send PT100, BARO, SCD30 (rooms) or WATER, LAB (lab) plus HEARTBEAT, seq rolling. */
    private static void generate(Path log, int lines) throws IOException {
        int[] roomTypes = {0x01, 0x02, 0x03, 0x0F};
        int[] labTypes = {0x04, 0x05, 0x0F};
        int[] seq = new int[0x500];
        long ts = 1_734_001_123_000_000L;
        byte[] data = new byte[8];
        try (BufferedWriter w = Files.newBufferedWriter(log, StandardCharsets.US_ASCII)) {
            for (int i = 0; i < lines; i++) {
                int node = 1 + i % 4;
                int[] types = node == 4 ? labTypes : roomTypes;
                int type = types[(i / 4) % types.length];
                int id = node << 8 | type;
                int t = 2000 + (i * 7) % 1000;
                data[0] = (byte) t;
                data[1] = (byte) (t >> 8);
                data[2] = (byte) (t - 300);
                data[3] = (byte) ((t - 300) >> 8);
                data[4] = (byte) (i % 3 == 0 ? 0x20 : 0);
                data[7] = (byte) seq[id]++;
                ts += 137;
                w.write(Candump.formatLine(CanFrame.standard(id, data, ts), "can0"));
                w.write('\n');
            }
        }
    }

    /** One pass; returns {frames per CPU second, frames per wall second}. {@code decode=false} only reads lines. */
    private static double[] run(Path log, FrameDecoder decoder, boolean decode) throws IOException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long frames = 0;
        long checksum = 0;
        long cpuStart = os.getProcessCpuTime();
        long start = System.nanoTime();
        if (decode) {
            try (CandumpReader r = new CandumpReader(Files.newBufferedReader(log, StandardCharsets.US_ASCII), false)) {
                for (CanFrame f; (f = r.next()) != null; ) {
                    DecodeResult d = decoder.decode(f);
                    if (d instanceof DecodedMessage m) {
                        checksum += m.signals().size();
                    }
                    frames++;
                }
            }
        } else {
            try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.US_ASCII)) {
                for (String line; (line = r.readLine()) != null; ) {
                    checksum += line.length();
                    frames++;
                }
            }
        }
        long nanos = System.nanoTime() - start;
        long cpu = os.getProcessCpuTime() - cpuStart;
        if (checksum == 0) {
            throw new IllegalStateException("nothing decoded");
        }
        return new double[] {frames * 1e9 / cpu, frames * 1e9 / nanos};
    }
}
