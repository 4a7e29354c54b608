package org.cea.tools.api;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.cea.automation.AutomationConfig;
import org.cea.automation.Rule;
import org.cea.candecode.dbc.DbcMessage;
import org.cea.candecode.facility.FacilityProfile;
import org.cea.candecode.facility.SensorDisplay;
import org.cea.candecode.facility.SensorSpec;

/**
 * Builds the API's {@link SensorCatalog} from the facility profile (sensors, units, rooms, display
 * names, precision, DBC message names) and, when there is one, automation.json (band rules, the
 * rooms' lights and the facility's time zone).
 */
final class Catalogs {
    private Catalogs() {
    }

    /** Every sensor of the profile in its order, and every DBC message name; no band rules. */
    static SensorCatalog fromProfile(FacilityProfile profile) {
        return fromProfile(profile, null);
    }

    /**
     * @param automation the parsed automation.json, or null: bands are then the valid ranges, the
     *                   zone is the system's and no room has a day/night schedule
     */
    static SensorCatalog fromProfile(FacilityProfile profile, AutomationConfig automation) {
        Map<String, List<SensorInfo.Band>> bands = new LinkedHashMap<>();
        if (automation != null) {
            for (Rule r : automation.rules()) {
                if (r instanceof Rule.Band b) {
                    for (Rule.Target t : b.targets()) {
                        bands.computeIfAbsent(t.sensor(), k -> new ArrayList<>()).add(new SensorInfo.Band(b.name(), b.min(),
                                b.max(), b.schedule().name().toLowerCase(Locale.ROOT)));
                    }
                }
            }
        }
        List<SensorInfo> sensors = new ArrayList<>();
        for (SensorSpec s : profile.sensors()) {
            SensorDisplay d = profile.display(s.name());
            sensors.add(new SensorInfo(s.name(), s.unit(), s.room(), d.label(), profile.roomLabel(s.room()), d.precision(),
                    s.min(), s.max(), bands.getOrDefault(s.name(), List.of())));
        }
        Set<String> types = new LinkedHashSet<>();
        for (DbcMessage m : profile.dbc().messages()) {
            types.add(m.name());
        }
        Map<String, SensorCatalog.Lights> lights = new LinkedHashMap<>();
        ZoneId zone = ZoneId.systemDefault();
        if (automation != null) {
            zone = automation.zone();
            automation.rooms().forEach((room, l) -> lights.put(room, new SensorCatalog.Lights(l.on(), l.off())));
        }
        Map<String, Integer> nodes = new LinkedHashMap<>();
        profile.rooms().forEach(r -> nodes.put(r.name(), r.nodeId()));
        return new SensorCatalog(sensors, types, zone, lights, nodes);
    }
}
