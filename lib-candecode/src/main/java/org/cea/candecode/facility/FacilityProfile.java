package org.cea.candecode.facility;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cea.candecode.dbc.Dbc;
import org.cea.candecode.dbc.DbcParser;

/**
 * The facility's decoding profile: {@code cea.dbc} (one message per type id 0x00..0xFF, frames
 * addressed as {@code node << 8 | type}) and {@code facility.json} (nodes to rooms, sensor map,
 * units, valid ranges, calibration, psychrometer coefficient, station pressure). Immutable.
 */
public final class FacilityProfile {
    /** File name of the facility JSON in the etc directory. */
    public static final String FACILITY_JSON = "facility.json";
    /** File name of the facility DBC in the etc directory. */
    public static final String DBC_FILE = "cea.dbc";

    private final Dbc dbc;
    private final double aPsy;
    private final double defaultPressureKpa;
    private final Map<Integer, Room> rooms;
    private final Map<String, SensorSpec> sensors;
    private final Map<Integer, Map<String, List<Binding>>> bindings;
    private final Map<Integer, Derived> derived;
    private final Map<String, List<FaultBit>> faultBits;
    private final Map<String, SensorDisplay> display;
    private final Map<String, String> roomLabels;

    /** A decoded signal feeding a sensor in one room. */
    record Binding(String message, String signal, String baseName, SensorSpec spec) {
    }

    /** A status bit that marks a signal of the same message as faulted. */
    record FaultBit(String statusSignal, int bit, String faultedSignal) {
    }

    /** The derived sensors of a room: rh and vpd from its dry and wet bulb (either may be null). */
    record Derived(SensorSpec dryBulb, SensorSpec wetBulb, SensorSpec pressureHpa, SensorSpec rh, SensorSpec vpd) {
    }

    FacilityProfile(Dbc dbc, double aPsy, double defaultPressureKpa, Map<Integer, Room> rooms,
                    Map<String, SensorSpec> sensors, Map<Integer, Map<String, List<Binding>>> bindings,
                    Map<Integer, Derived> derived, Map<String, List<FaultBit>> faultBits,
                    Map<String, SensorDisplay> display, Map<String, String> roomLabels) {
        this.dbc = dbc;
        this.aPsy = aPsy;
        this.defaultPressureKpa = defaultPressureKpa;
        this.rooms = Collections.unmodifiableMap(new LinkedHashMap<>(rooms));
        this.sensors = Collections.unmodifiableMap(new LinkedHashMap<>(sensors));
        this.bindings = Map.copyOf(bindings);
        this.derived = Map.copyOf(derived);
        this.faultBits = Map.copyOf(faultBits);
        this.display = Map.copyOf(display);
        this.roomLabels = Map.copyOf(roomLabels);
    }

    /**
     * Loads a profile from a facility JSON and a DBC file.
     *
     * @throws org.cea.candecode.ConfigException naming the file, the key or line, and the problem
     */
    public static FacilityProfile load(Path facilityJson, Path dbcFile) {
        Dbc dbc = DbcParser.parse(dbcFile);
        return FacilityJson.read(facilityJson, dbc);
    }

    /**
     * Loads {@code etcDir/facility.json} with {@code etcDir/cea.dbc}.
     *
     * @throws org.cea.candecode.ConfigException naming the file, the key or line, and the problem
     */
    public static FacilityProfile loadDefault(Path etcDir) {
        return load(etcDir.resolve(FACILITY_JSON), etcDir.resolve(DBC_FILE));
    }

    /**
     * Where a tool finds its facility profile, the same way for every tool: {@code given} (its
     * {@code --etc} flag or {@code CEA_ETC}) when set; else the {@code etc/} of the checkout or
     * install that {@code anchor}'s jar lies in (/opt/cea/tools/x/target/x.jar → /opt/cea/etc);
     * else {@code ./etc}, else {@code /etc/cea}, when they hold the profile; else {@code ./etc}
     * (so the error names it).
     *
     * @param given  a directory chosen by the user, or null / blank
     * @param anchor a class of the running tool (its code source is searched upwards)
     */
    public static Path locateEtcDir(String given, Class<?> anchor) {
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        try {
            CodeSource src = anchor.getProtectionDomain().getCodeSource();
            if (src != null) {
                for (Path p = Path.of(src.getLocation().toURI()).getParent(); p != null; p = p.getParent()) {
                    if (hasProfile(p.resolve("etc"))) {
                        return p.resolve("etc");
                    }
                }
            }
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            // not run from a file: the fixed places below
        }
        for (Path p : List.of(Path.of("etc"), Path.of("/etc/cea"))) {
            if (hasProfile(p)) {
                return p;
            }
        }
        return Path.of("etc");
    }

    private static boolean hasProfile(Path dir) {
        return Files.isRegularFile(dir.resolve(FACILITY_JSON))
                && Files.isRegularFile(dir.resolve(DBC_FILE));
    }

    /** The DBC; its message ids are type ids 0x00..0xFF. */
    public Dbc dbc() {
        return dbc;
    }

    /** Every sensor of the facility (measured and derived), in room order. */
    public List<SensorSpec> sensors() {
        return new ArrayList<>(sensors.values());
    }

    /** The sensor of that name, e.g. {@code dry_bulb_b}. */
    public Optional<SensorSpec> sensor(String name) {
        return Optional.ofNullable(sensors.get(name));
    }

    /**
     * How a sensor is shown: {@code sensors.<base>.label} and {@code .precision} of facility.json
     * (additive keys); the sensor name and {@link SensorDisplay#DEFAULT_PRECISION} decimals when absent.
     *
     * @param name a sensor name, e.g. {@code dry_bulb_b}; an unknown name gets the defaults
     */
    public SensorDisplay display(String name) {
        SensorDisplay d = display.get(name);
        return d != null ? d : new SensorDisplay(name, SensorDisplay.DEFAULT_PRECISION);
    }

    /**
     * A room's display name: {@code nodes.<n>.label} of facility.json (additive key), else the room
     * name with underscores as spaces ({@code flower back}); an unknown room is returned as given.
     */
    public String roomLabel(String room) {
        return roomLabels.getOrDefault(room, room);
    }

    /** The room served by a node address. */
    public Optional<Room> roomOfNode(int nodeId) {
        return Optional.ofNullable(rooms.get(nodeId));
    }

    /** All rooms, by node address order in facility.json. */
    public List<Room> rooms() {
        return new ArrayList<>(rooms.values());
    }

    /** The FAO-56 psychrometer coefficient a_psy, 1/°C. */
    public double aPsy() {
        return aPsy;
    }

    /** Pressure used for RH until a room has a valid pressure reading, kPa. */
    public double defaultPressureKpa() {
        return defaultPressureKpa;
    }

    List<Binding> bindings(int nodeId, String messageType) {
        Map<String, List<Binding>> byMessage = bindings.get(nodeId);
        if (byMessage == null) {
            return List.of();
        }
        return byMessage.getOrDefault(messageType, List.of());
    }

    Derived derived(int nodeId) {
        return derived.get(nodeId);
    }

    List<FaultBit> faultBits(String messageType) {
        return faultBits.getOrDefault(messageType, List.of());
    }
}
