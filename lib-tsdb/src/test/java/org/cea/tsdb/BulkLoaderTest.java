package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BulkLoaderTest {
    @Test
    void aTargetThatIsNotPostgresIsRefusedBeforeConnectingWithThePasswordMasked() {
        for (String url : new String[] {"mysql://u:s3cret@h/db", "/var/lib/cea/legacy.db", "jdbc:sqlite:/tmp/x.db"}) {
            BadDataException e = assertThrows(BadDataException.class, () -> BulkLoader.open(url, k -> null, "t"));
            assertEquals("bulk load target must be postgresql://user:pass@host:port/db or jdbc:postgresql://host:port/db,"
                    + " was " + url.replace("s3cret", "***"), e.getMessage());
        }
    }
}
