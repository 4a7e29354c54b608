package org.cea.tools.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access settings can-api derives from its flags and environment (issue 17). */
class ApiAccessTest {
    private static final String TOKEN = "s3cret-token-0123456789";

    @Test
    void aNonLoopbackListenAddressNeedsATokenOrAnExplicitOptOut() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ApiAccess.resolve("0.0.0.0", null, null, null, false));
        assertTrue(e.getMessage().startsWith("--listen 0.0.0.0 is not a loopback address and no token is set:"), e.getMessage());
        assertTrue(e.getMessage().contains("API_TOKEN") && e.getMessage().contains("--token-file")
                && e.getMessage().contains("--allow-no-token"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ApiAccess.resolve("192.0.2.10", null, null, null, false));
        assertEquals(null, ApiAccess.resolve("0.0.0.0", null, null, null, true).token());
        assertEquals(TOKEN, ApiAccess.resolve("0.0.0.0", null, TOKEN, null, false).token());
        assertEquals(null, ApiAccess.resolve("127.0.0.1", null, null, null, false).token());
        assertEquals(null, ApiAccess.resolve("localhost", null, null, null, false).token());
        assertEquals(null, ApiAccess.resolve("::1", null, "  ", null, false).token());
    }

    @Test
    void theListenAddressAndExtraHostsJoinTheLoopbackNames() {
        ApiAccess a = ApiAccess.resolve("192.0.2.10", "cea-pi.local, CEA.example.", TOKEN, null, false);
        assertEquals(java.util.Set.of("localhost", "127.0.0.1", "::1", "192.0.2.10", "cea-pi.local", "cea.example"),
                a.allowedHosts());
        assertTrue(a.hostAllowed("192.0.2.10:8000"));
        assertTrue(a.hostAllowed("[::1]:8000"));
        assertFalse(a.hostAllowed("evil.example"));
        assertFalse(a.hostAllowed("192.0.2.10.evil.example"));
        assertTrue(a.originAllowed("https://cea.example"));
        assertFalse(a.originAllowed("https://user@cea.example"));
        assertFalse(a.originAllowed("null"));
        assertFalse(a.originAllowed("ftp://cea.example"));
        assertThrows(IllegalArgumentException.class, () -> ApiAccess.resolve("127.0.0.1", "a,,b", null, null, false));
        assertThrows(IllegalArgumentException.class, () -> ApiAccess.resolve("127.0.0.1", "http://x/", null, null, false));
    }

    @Test
    void aShortTokenIsRefusedAndTheTokenIsMasked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ApiAccess.resolve("127.0.0.1", null, "short", null, false));
        assertTrue(e.getMessage().contains("at least 16"), e.getMessage());
        assertFalse(e.getMessage().contains("short"), e.getMessage());
        assertFalse(ApiAccess.resolve("127.0.0.1", null, TOKEN, null, false).toString().contains(TOKEN));
    }

    @Test
    void theTokenFileMustBeRootOwnedAndClosedToOthers(@TempDir Path dir) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "creates root-owned files: run as root (make test does)");
        Path f = dir.resolve("api.token");
        Files.writeString(f, TOKEN + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        assertEquals(TOKEN, ApiAccess.resolve("0.0.0.0", null, null, f, false).token());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiAccess.resolve("0.0.0.0", null, null, f, false));
        assertTrue(e.getMessage().contains("readable by others") && e.getMessage().contains("chmod 0640"), e.getMessage());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw----"));
        assertThrows(IllegalArgumentException.class, () -> ApiAccess.resolve("0.0.0.0", null, null, f, false));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        UserPrincipal nobody = f.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(f, nobody);
        e = assertThrows(IllegalArgumentException.class, () -> ApiAccess.resolve("0.0.0.0", null, null, f, false));
        assertTrue(e.getMessage().contains("is owned by nobody, not root"), e.getMessage());
        Path link = dir.resolve("link.token");
        Files.createSymbolicLink(link, f);
        e = assertThrows(IllegalArgumentException.class, () -> ApiAccess.resolve("0.0.0.0", null, null, link, false));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ApiAccess.resolve("0.0.0.0", null, TOKEN, dir.resolve("x"), false));
        assertTrue(e.getMessage().contains("use one"), e.getMessage());
    }
}
