package org.cea.tools.api;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.cea.candecode.dbc.DbcMessage;
import org.cea.candecode.facility.FacilityProfile;
import org.cea.candecode.facility.SensorSpec;

/** Builds the API's {@link SensorCatalog} from the facility profile (sensors, units, rooms, DBC message names). */
final class Catalogs {
    private Catalogs() {
    }

    /** Every sensor of the profile in its order, and every DBC message name. */
    static SensorCatalog fromProfile(FacilityProfile profile) {
        List<SensorInfo> sensors = profile.sensors().stream()
                .map((SensorSpec s) -> new SensorInfo(s.name(), s.unit(), s.room())).toList();
        Set<String> types = new LinkedHashSet<>();
        for (DbcMessage m : profile.dbc().messages()) {
            types.add(m.name());
        }
        return new SensorCatalog(sensors, types);
    }
}
