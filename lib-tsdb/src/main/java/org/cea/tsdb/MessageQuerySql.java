package org.cea.tsdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The filter, order and limit of a {@link MessageQuery} as SQL, shared by both stores: newest first,
 * or ascending after {@code afterId} (a client following the table). The dialects differ only in the
 * columns they select before it and how they read them ({@link MessageColumns}).
 *
 * @param clause      {@code WHERE ... ORDER BY ... LIMIT ?}
 * @param args        the values of its placeholders, in order
 * @param newestFirst the rows come newest first (no {@code afterId}) and are turned round by {@link #oldestFirst}
 */
record MessageQuerySql(String clause, List<Object> args, boolean newestFirst) {
    MessageQuerySql {
        args = List.copyOf(args);
    }

    /**
     * Runs {@code q} on {@code c} (no commit): the one {@code recentMessages} of both stores.
     *
     * @return the rows, oldest first
     */
    static List<StoredMessage> recent(Connection c, MessageQuery q, MessageColumns columns) throws SQLException {
        MessageQuerySql filter = of(q, columns.alias);
        List<StoredMessage> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(columns.select + filter.clause())) {
            filter.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(columns.row(rs));
                }
            }
        }
        return filter.oldestFirst(rows);
    }

    /**
     * @param q     the query
     * @param alias the alias of {@code can_messages} in the statement, with its dot ({@code "m."}), or ""
     */
    static MessageQuerySql of(MessageQuery q, String alias) {
        StringBuilder sql = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.messageType() != null) {
            sql.append(" AND ").append(alias).append("message_type = ?");
            args.add(q.messageType());
        }
        if (q.nodeId() != null) {
            sql.append(" AND ").append(alias).append("node_id = ?");
            args.add(q.nodeId());
        }
        if (q.canId() != null) {
            sql.append(" AND ").append(alias).append("can_id = ?");
            args.add(q.canId());
        }
        if (q.afterId() != null) {
            sql.append(" AND ").append(alias).append("id > ?");
            args.add(q.afterId());
        }
        sql.append(" ORDER BY ").append(alias).append("id ").append(q.afterId() != null ? "ASC" : "DESC")
                .append(" LIMIT ?");
        args.add(q.limit());
        return new MessageQuerySql(sql.toString(), args, q.afterId() == null);
    }

    /** The rows read, in the order callers get them: oldest first. Turns {@code rows} round in place when needed. */
    <T> List<T> oldestFirst(List<T> rows) {
        if (newestFirst) {
            java.util.Collections.reverse(rows);
        }
        return rows;
    }

    /** Sets the placeholders of {@code ps} (prepared from a statement ending in {@link #clause}). */
    void bind(PreparedStatement ps) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
    }
}
