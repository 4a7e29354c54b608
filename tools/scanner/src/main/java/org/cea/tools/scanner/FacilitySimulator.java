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
 * random frame loss (seq gaps), each for the whole run or a window of simulated seconds, and
 * signals held at a value for a window (scenarios for the alert tests). Not thread-safe.
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
    public record Settings(long seed, Set<Integer> dropoutNodes, Set<Integer> faultNodes, double lossRate,
                           List<Window> windows) {
        /** Switches that hold for the whole run. */
        public Settings(long seed, Set<Integer> dropoutNodes, Set<Integer> faultNodes, double lossRate) {
            this(seed, dropoutNodes, faultNodes, lossRate, List.of());
        }

        /** Validates ranges and copies the sets. */
        public Settings {
            dropoutNodes = Set.copyOf(dropoutNodes);
            faultNodes = Set.copyOf(faultNodes);
            windows = List.copyOf(windows);
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

        /** True when node {@code node} is silent in simulated second {@code round}. */
        boolean silent(int node, long round) {
            return dropoutNodes.contains(node) || active(Window.DROPOUT, node, null, round) != null;
        }

        /** True when node {@code node}'s PT100 reports faults in simulated second {@code round}. */
        boolean faulted(int node, long round) {
            return faultNodes.contains(node) || active(Window.FAULT, node, null, round) != null;
        }

        /** The value a {@code --sim-set} window imposes on a signal, else {@code normal}. */
        double value(int node, String signal, long round, double normal) {
            Window w = active(Window.SET, node, signal, round);
            return w == null ? normal : w.value();
        }

        private Window active(String what, int node, String signal, long round) {
            for (Window w : windows) {
                if (w.what().equals(what) && w.node() == node && (signal == null || signal.equals(w.signal()))
                        && round >= w.fromSecond() && round < w.toSecond()) {
                    return w;
                }
            }
            return null;
        }

        /** Seed 1, every node up, no faults, no loss. */
        public static Settings defaults() {
            return new Settings(1, Set.of(), Set.of(), 0);
        }
    }

    /**
     * A scenario switch for simulated seconds {@code [fromSecond, toSecond)}: a node silent
     * ({@code dropout}), a PT100 faulted ({@code fault}), or a signal held at a value ({@code set}).
     * Flag forms: {@code --sim-dropout 2@10-40}, {@code --sim-fault 1@5-20},
     * {@code --sim-set 3:co2=1800@20-50} (signals {@link #SIGNALS}).
     *
     * @param what       {@link #DROPOUT}, {@link #FAULT} or {@link #SET}
     * @param node       1..4
     * @param signal     for {@code set}: one of {@link #SIGNALS}, else null
     * @param value      for {@code set}: the value in the signal's unit
     * @param fromSecond first simulated second, inclusive, &gt;= 0
     * @param toSecond   end, exclusive, &gt; fromSecond
     */
    public record Window(String what, int node, String signal, double value, long fromSecond, long toSecond) {
        /** Node silent. */
        public static final String DROPOUT = "dropout";
        /** PT100 probes faulted. */
        public static final String FAULT = "fault";
        /** Signal held at a value. */
        public static final String SET = "set";
        /** Signals {@code --sim-set} can hold: room nodes dry, wet, pressure, co2, rh; lab water_temp, level, lab_temp, lab_rh. */
        public static final List<String> SIGNALS = List.of("dry", "wet", "pressure", "co2", "rh", "water_temp", "level",
                "lab_temp", "lab_rh");

        /** Validates. */
        public Window {
            if (!List.of(DROPOUT, FAULT, SET).contains(what)) {
                throw new IllegalArgumentException("simulator window kind must be dropout, fault or set, was " + what);
            }
            if (node < 1 || node > 4) {
                throw new IllegalArgumentException("simulator node must be 1..4, was " + node);
            }
            if (SET.equals(what) && !SIGNALS.contains(signal)) {
                throw new IllegalArgumentException("--sim-set signal must be one of " + SIGNALS + ", was '" + signal + "'");
            }
            if (fromSecond < 0 || toSecond <= fromSecond) {
                throw new IllegalArgumentException("simulator window must be FROM-TO seconds with 0 <= FROM < TO, was "
                        + fromSecond + "-" + toSecond);
            }
        }

        /**
         * Parses {@code NODE[@FROM-TO]} (dropout, fault) or {@code NODE:SIGNAL=VALUE[@FROM-TO]} (set); without
         * a window the switch holds for the whole run.
         *
         * @throws IllegalArgumentException naming the flag, the text and the form
         */
        public static Window parse(String what, String text) {
            String flag = "--sim-" + what;
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile(SET.equals(what) ? "(\\d+):([a-z0-9_]+)=(-?[0-9.]+)(?:@(\\d+)-(\\d+))?" : "(\\d+)(?:@(\\d+)-(\\d+))?")
                    .matcher(text.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException(flag + " must be " + (SET.equals(what) ? "NODE:SIGNAL=VALUE[@FROM-TO]"
                        : "NODE[@FROM-TO]") + " (seconds of simulated time), was '" + text + "'");
            }
            int node = Integer.parseInt(m.group(1));
            int w = SET.equals(what) ? 4 : 2;
            long from = m.group(w) == null ? 0 : Long.parseLong(m.group(w));
            long to = m.group(w) == null ? Long.MAX_VALUE : Long.parseLong(m.group(w + 1));
            return SET.equals(what) ? new Window(what, node, m.group(2), Double.parseDouble(m.group(3)), from, to)
                    : new Window(what, node, null, 0, from, to);
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
            long k = round;
            double dry = settings.value(node, "dry", k, r.dryC() + 1.0 * drift + gauss(0.05));
            double wet = settings.value(node, "wet", k, dry - r.depressionC() - 0.3 * drift + gauss(0.05));
            boolean fault = settings.faulted(node, k);
            emit(out, node, FrameEncoder.PT100, timestampMicros, fault
                    ? FrameEncoder.pt100(327.67, 327.67, 0x03, seq(node, FrameEncoder.PT100))
                    : FrameEncoder.pt100(dry, wet, 0, seq(node, FrameEncoder.PT100)));
            double p = settings.value(node, "pressure", k, r.pressureHpa() + 2.0 * Math.sin(2 * Math.PI * t / 7200 + r.phase())
                    + gauss(0.1));
            emit(out, node, FrameEncoder.BARO, timestampMicros,
                    FrameEncoder.baro(p, dry + 0.4 + gauss(0.05), seq(node, FrameEncoder.BARO)));
            double co2 = settings.value(node, "co2", k, r.co2Ppm() + 150 * Math.sin(2 * Math.PI * t / 1800 + r.phase()) + gauss(5));
            double rh = settings.value(node, "rh", k, r.rhPct() - 5 * drift + gauss(0.3));
            emit(out, node, FrameEncoder.SCD30, timestampMicros,
                    FrameEncoder.scd30(co2, dry + 0.3 + gauss(0.05), rh, seq(node, FrameEncoder.SCD30)));
            emit(out, node, FrameEncoder.HEARTBEAT, timestampMicros, heartbeat(node));
        }
        double labDrift = Math.sin(2 * Math.PI * t / 3600 + 0.7);
        double waterT = settings.value(4, "water_temp", round, 19.5 + 0.5 * labDrift + gauss(0.02));
        double level = settings.value(4, "level", round, 72 - 2 * labDrift + gauss(0.2));
        emit(out, 4, FrameEncoder.WATER, timestampMicros, FrameEncoder.water(waterT, level, seq(4, FrameEncoder.WATER)));
        double labT = settings.value(4, "lab_temp", round, 21.5 + 0.8 * labDrift + gauss(0.05));
        double labRh = settings.value(4, "lab_rh", round, 45 + 3 * labDrift + gauss(0.3));
        emit(out, 4, FrameEncoder.LAB, timestampMicros, FrameEncoder.lab(labT, labRh, seq(4, FrameEncoder.LAB)));
        emit(out, 4, FrameEncoder.HEARTBEAT, timestampMicros, heartbeat(4));
        round++;
        return out;
    }

    private byte[] heartbeat(int node) {
        return FrameEncoder.heartbeat(round, 1, 2, 0, seq(node, FrameEncoder.HEARTBEAT));
    }

    private void emit(List<CanFrame> out, int node, int type, long ts, byte[] data) {
        if (settings.silent(node, round)) {
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
