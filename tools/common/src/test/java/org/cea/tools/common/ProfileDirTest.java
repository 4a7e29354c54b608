package org.cea.tools.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.cea.candecode.facility.FacilityProfile;
import org.junit.jupiter.api.Test;

class ProfileDirTest {
    @Test
    void theFlagWinsThenCeaEtcThenTheSearch() {
        assertEquals(Path.of("/flag"), ProfileDir.locate("/flag", Map.of("CEA_ETC", "/env"), ProfileDirTest.class));
        assertEquals(Path.of("/env"), ProfileDir.locate(null, Map.of("CEA_ETC", "/env"), ProfileDirTest.class));
        assertEquals(FacilityProfile.locateEtcDir(null, ProfileDirTest.class),
                ProfileDir.locate(null, Map.of("CEA_ETC", " "), ProfileDirTest.class));
    }
}
