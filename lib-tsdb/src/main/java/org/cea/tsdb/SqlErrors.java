package org.cea.tsdb;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/** Turns driver exceptions into the library's exceptions by what the caller should do next. */
final class SqlErrors {
    private SqlErrors() {
    }

    /** True when retrying later may succeed: connection problems, admin shutdown, lock/resource trouble. */
    static boolean isUnavailable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
            if (t instanceof SQLException s && isUnavailableState(s)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUnavailableState(SQLException s) {
        String state = s.getSQLState();
        if (state != null) {
            return state.startsWith("08") || state.startsWith("53") || state.equals("57P01") || state.equals("57P02")
                    || state.equals("57P03") || state.equals("57014") || state.equals("40001") || state.equals("40P01");
        }
        if (s.getClass().getName().startsWith("org.sqlite.")) {
            // SQLite primary result codes: BUSY 5, LOCKED 6, NOMEM 7, IOERR 10, FULL 13, CANTOPEN 14, PROTOCOL 15
            int code = s.getErrorCode() & 0xFF;
            return code == 5 || code == 6 || code == 7 || code == 10 || code == 13 || code == 14 || code == 15;
        }
        return false;
    }

    /** True when the data itself is at fault (PostgreSQL classes 22 and 23; SQLite constraint, mismatch, too big). */
    static boolean isBadData(SQLException e) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
            return true;
        }
        if (state == null && e.getClass().getName().startsWith("org.sqlite.")) {
            int code = e.getErrorCode() & 0xFF;
            return code == 18 || code == 19 || code == 20 || code == 25;
        }
        return false;
    }

    /** Wraps {@code e} as unavailable, bad data, or a plain {@link TsdbException}, with the operation and store named. */
    static TsdbException wrap(String operation, Object store, SQLException e) {
        String msg = operation + " on " + store + " failed: " + describe(e);
        if (isUnavailable(e)) {
            return new StoreUnavailableException(msg, e);
        }
        if (isBadData(e)) {
            return new BadDataException(msg, e);
        }
        return new TsdbException(msg, e);
    }

    /** Driver message with SQLSTATE, passwords masked. */
    static String describe(SQLException e) {
        String state = e.getSQLState();
        return message(e) + (state == null ? "" : " [SQLSTATE " + state + "]");
    }

    /**
     * Closes a connection a factory opened before it failed with {@code cause}; a failure to close
     * is added to {@code cause} as suppressed, so the first failure is the one reported.
     */
    static void closeAfter(Connection c, Exception cause) {
        try {
            c.close();
        } catch (SQLException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    /** Driver message alone, passwords masked. */
    static String message(SQLException e) {
        return StoreUrl.maskAll(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
}
