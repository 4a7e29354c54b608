package org.cea.tools.common;

import java.nio.file.Path;
import java.util.Map;
import org.cea.candecode.facility.FacilityProfile;

/**
 * The one lookup of the facility profile's directory ({@code etc/}: cea.dbc, facility.json,
 * automation.json) for every tool: the tool's {@code --etc} flag, else {@code CEA_ETC}, else as
 * {@link FacilityProfile#locateEtcDir} (the {@code etc/} of the checkout or install the tool's jar
 * lies in, else {@code ./etc} or {@code /etc/cea} when they hold the profile, else {@code ./etc}).
 */
public final class ProfileDir {
    private ProfileDir() {
    }

    /**
     * @param flagValue the {@code --etc} flag's value, null when not given (or the tool has none)
     * @param env       the environment ({@code CEA_ETC})
     * @param anchor    a class of the running tool: its jar is searched upwards
     * @return the directory (it may not exist: loading the profile then names it)
     */
    public static Path locate(String flagValue, Map<String, String> env, Class<?> anchor) {
        return FacilityProfile.locateEtcDir(EnvNames.pick(flagValue, env, null, EnvNames.CEA_ETC), anchor);
    }
}
