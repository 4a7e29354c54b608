package org.cea.tools.automation;

import java.net.InetSocketAddress;
import org.cea.automation.AutomationConfig;
import org.cea.candecode.facility.FacilityProfile;
import org.cea.redisio.RedisConfig;

/**
 * What cea-automation runs with, validated.
 *
 * @param config        the rules and notifiers
 * @param profile       the facility profile
 * @param redis         Redis
 * @param dbUrl         database for the alert history, or null (history stays in the stream)
 * @param metrics       address of the Prometheus endpoint, or null for none
 * @param consumer      consumer name in the groups
 */
record AutomationSettings(AutomationConfig config, FacilityProfile profile, RedisConfig redis, String dbUrl,
                          InetSocketAddress metrics, String consumer) {
    AutomationSettings {
        if (config == null || profile == null || redis == null || consumer == null) {
            throw new IllegalArgumentException("config, profile, redis and consumer are required");
        }
    }

    /** The database URL with any password masked. */
    String maskedDbUrl() {
        return dbUrl == null ? "none" : org.cea.tsdb.Store.maskPasswords(dbUrl);
    }

    @Override
    public String toString() {
        return "AutomationSettings[config=" + config.source() + ", rules=" + config.rules().size() + ", notifiers="
                + config.notifiers().size() + ", redis=" + redis.maskedUrl() + ", db=" + maskedDbUrl() + ", metrics="
                + metrics + ", consumer=" + consumer + "]";
    }
}
