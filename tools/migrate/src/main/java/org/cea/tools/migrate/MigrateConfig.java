package org.cea.tools.migrate;

import java.nio.file.Path;

/**
 * One invocation of can-migrate, validated at construction.
 *
 * @param sqlite          the legacy SQLite file (opened read-only)
 * @param target          target URL as given (password masked by {@link #toString()}); null only for a
 *                        dry run that checks the source alone
 * @param batch           rows per COPY transaction, 1..1,000,000
 * @param fromId          first legacy id to migrate, &gt;= 1, or null (from the checkpoint, else 1)
 * @param dryRun          read and check everything, write nothing
 * @param verifyOnly      only verify an earlier migration
 * @param facility        facility.json of the profile that derives sensor readings, or null for none
 * @param dbc             the DBC file of that profile, or null (cea.dbc beside facility.json)
 * @param verify          checksum range size, sample size and seed
 * @param progressSeconds seconds between plain progress lines, &gt;= 1
 * @param listLimit       quarantined rows listed in the report, &gt;= 0
 * @param keepIndexes     load into an empty table with its indexes in place (slower) instead of
 *                        dropping and recreating them
 */
public record MigrateConfig(Path sqlite, String target, int batch, Long fromId, boolean dryRun, boolean verifyOnly,
                            Path facility, Path dbc, VerifyOptions verify, long progressSeconds, int listLimit,
                            boolean keepIndexes) {

    /** Checks every field; messages name the flag. */
    public MigrateConfig {
        if (sqlite == null) {
            throw new IllegalArgumentException("--sqlite is required");
        }
        if (target == null && !dryRun) {
            throw new IllegalArgumentException("--target is required (except with --dry-run)");
        }
        if (batch < 1 || batch > 1_000_000) {
            throw new IllegalArgumentException("--batch must be 1..1000000, was " + batch);
        }
        if (fromId != null && fromId < 1) {
            throw new IllegalArgumentException("--from-id must be >= 1, was " + fromId);
        }
        if (dryRun && verifyOnly) {
            throw new IllegalArgumentException("--dry-run and --verify exclude each other");
        }
        if (verify == null) {
            throw new IllegalArgumentException("verify options are required");
        }
        if (progressSeconds < 1) {
            throw new IllegalArgumentException("--progress-interval must be >= 1 s, was " + progressSeconds);
        }
        if (listLimit < 0) {
            throw new IllegalArgumentException("--list must be >= 0, was " + listLimit);
        }
    }

    /** True when sensor readings are derived (a facility profile was given). */
    public boolean readings() {
        return facility != null;
    }

    @Override
    public String toString() {
        return "MigrateConfig[sqlite=" + sqlite + ", target=" + (target == null ? null : org.cea.tsdb.Store.maskPasswords(target))
                + ", batch=" + batch + ", fromId=" + fromId + ", dryRun=" + dryRun + ", verifyOnly=" + verifyOnly
                + ", facility=" + facility + ", verify=" + verify + "]";
    }
}
