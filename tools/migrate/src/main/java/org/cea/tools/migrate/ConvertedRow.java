package org.cea.tools.migrate;

/** The outcome of converting one legacy row: a target row or a quarantined row. */
public sealed interface ConvertedRow permits MessageRecord, QuarantinedRow {
    /** The legacy id, preserved either way. */
    long id();
}
