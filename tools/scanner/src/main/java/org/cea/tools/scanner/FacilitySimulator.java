package org.cea.tools.scanner;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.cea.candecode.CanFrame;

/**
 * The facility on a bench: nodes 1-3 (flower back, flower front, veg) send PT100, BARO, SCD30
 * and HEARTBEAT, node 4 (lab) sends WATER, LAB and HEARTBEAT, each once per simulated second,
 * with values that drift slowly (sine over tens of minutes) plus Gaussian noise, and a correct
 * rolling {@code seq} per node and type. Deterministic for a seed: the payloads of round
 * {@code k} do not depend on wall time. Switches: silent nodes (dropout), faulted PT100 readings,
 * random frame loss (seq gaps). Not thread-safe.
 */
public final class FacilitySimulator {
    /** Frames per round with every node up. */
    public static final int FRAMES_PER_ROUND = 15;

    /**
     * Simulator switches.
     *
     * @param seed         noise seed
     * @param dropoutNodes nodes (1-4) that send nothing
     * @param faultNodes   room nodes (1-3) whose PT100 reports both probes faulted with out-of-range values
     * @param lossRate     probability 0..1 that a frame is lost on the bus (its seq is still used)
     */
    public record Settings(long seed, Set<Integer> dropoutNodes, Set<Integer> faultNodes, double lossRate) {
        /** Validates ranges and copies the sets. */
        public Settings {
            dropoutNodes = Set.copyOf(dropoutNodes);
            faultNodes = Set.copyOf(faultNodes);
            for (int n : dropoutNodes) {
                if (n < 1 || n > 4) {
                    throw new IllegalArgumentException("dropout node must be 1..4, was " + n);
                }
            }
            for (int n : faultNodes) {
                if (n < 1 || n > 3) {
                    throw new IllegalArgumentException("fault node must be a room node 1..3, was " + n);
                }
            }
            if (!(lossRate >= 0 && lossRate <= 1)) {
                throw new IllegalArgumentException("lossRate must be 0..1, was " + lossRate);
            }
        }

        /** Seed 1, every node up, no faults, no loss. */
        public static Settings defaults() {
            return new Settings(1, Set.of(), Set.of(), 0);
        }
    }

    /** Base values of a room node: dry bulb, psychrometric depression, pressure, CO2, RH. */
    private record Room(double dryC, double depressionC, double pressureHpa, double co2Ppm, double rhPct, double phase) {
    }

    private static final Room[] ROOMS = {
        new Room(25.0, 5.5, 1013.0, 900, 62, 0.0),
        new Room(24.6, 5.2, 1012.8, 880, 64, 1.1),
        new Room(23.0, 4.0, 1013.4, 700, 68, 2.3),
    };

    private final Settings settings;
    private final Random noise;
    private final int[][] seq = new int[5][16];
    private long round;

    /** A simulator at round 0. */
    public FacilitySimulator(Settings settings) {
        this.settings = settings;
        this.noise = new Random(settings.seed());
    }

    /** Rounds produced so far (= simulated seconds). */
    public long round() {
        return round;
    }

    /**
     * The frames of the next simulated second, in a fixed node/type order.
     *
     * @param timestampMicros reception time to stamp on every frame, Unix microseconds
     */
    public List<CanFrame> nextRound(long timestampMicros) {
        double t = round;
        List<CanFrame> out = new ArrayList<>(FRAMES_PER_ROUND);
        for (int node = 1; node <= 3; node++) {
            Room r = ROOMS[node - 1];
            double drift = Math.sin(2 * Math.PI * t / 3600 + r.phase());
            double dry = r.dryC() + 1.0 * drift + gauss(0.05);
            double wet = dry - r.depressionC() - 0.3 * drift + gauss(0.05);
            boolean fault = settings.faultNodes().contains(node);
            emit(out, node, FrameEncoder.PT100, timestampMicros, fault
                    ? FrameEncoder.pt100(327.67, 327.67, 0x03, seq(node, FrameEncoder.PT100))
                    : FrameEncoder.pt100(dry, wet, 0, seq(node, FrameEncoder.PT100)));
            double p = r.pressureHpa() + 2.0 * Math.sin(2 * Math.PI * t / 7200 + r.phase()) + gauss(0.1);
            emit(out, node, FrameEncoder.BARO, timestampMicros,
                    FrameEncoder.baro(p, dry + 0.4 + gauss(0.05), seq(node, FrameEncoder.BARO)));
            double co2 = r.co2Ppm() + 150 * Math.sin(2 * Math.PI * t / 1800 + r.phase()) + gauss(5);
            double rh = r.rhPct() - 5 * drift + gauss(0.3);
            emit(out, node, FrameEncoder.SCD30, timestampMicros,
                    FrameEncoder.scd30(co2, dry + 0.3 + gauss(0.05), rh, seq(node, FrameEncoder.SCD30)));
            emit(out, node, FrameEncoder.HEARTBEAT, timestampMicros, heartbeat(node));
        }
        double labDrift = Math.sin(2 * Math.PI * t / 3600 + 0.7);
        emit(out, 4, FrameEncoder.WATER, timestampMicros, FrameEncoder.water(19.5 + 0.5 * labDrift + gauss(0.02),
                72 - 2 * labDrift + gauss(0.2), seq(4, FrameEncoder.WATER)));
        emit(out, 4, FrameEncoder.LAB, timestampMicros, FrameEncoder.lab(21.5 + 0.8 * labDrift + gauss(0.05),
                45 + 3 * labDrift + gauss(0.3), seq(4, FrameEncoder.LAB)));
        emit(out, 4, FrameEncoder.HEARTBEAT, timestampMicros, heartbeat(4));
        round++;
        return out;
    }

    private byte[] heartbeat(int node) {
        return FrameEncoder.heartbeat(round, 1, 2, 0, seq(node, FrameEncoder.HEARTBEAT));
    }

    private void emit(List<CanFrame> out, int node, int type, long ts, byte[] data) {
        if (settings.dropoutNodes().contains(node)) {
            return;
        }
        seq[node][type & 0xF]++;
        if (settings.lossRate() > 0 && noise.nextDouble() < settings.lossRate()) {
            return;
        }
        out.add(CanFrame.standard(FrameEncoder.canId(node, type), data, ts));
    }

    /** The seq value the next frame of this node and type carries (0..255). */
    private int seq(int node, int type) {
        return seq[node][type & 0xF] & 0xFF;
    }

    private double gauss(double sigma) {
        return noise.nextGaussian() * sigma;
    }
}
