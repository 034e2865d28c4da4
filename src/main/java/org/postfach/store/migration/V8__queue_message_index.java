package org.postfach.store.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Postfach schema, version 8: the queue entries of a message are found through an index on
 * {@code outbound_queue.message_id} (the retention purge deletes a batch's finished entries by message, the archive
 * view of a message reads its latest entry). H2 made one for the column's foreign key when the table was created;
 * PostgreSQL does not index a foreign key by itself. So the index is created only where none starts with the
 * column: a second one on H2 would cost every stored message an index write and serve nothing. In Java because
 * the question is asked through JDBC's metadata, the same on both engines (an SQL file cannot ask it, and the
 * foreign key's name, which dropping H2's index would need, differs between them).
 */
public class V8__queue_message_index extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        if (!indexedFirst(c, "outbound_queue", "message_id")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE INDEX outbound_queue_message ON outbound_queue (message_id)");
            }
        }
    }

    /**
     * Whether an index of {@code table}, in the connection's schema, has {@code column} as its first column (names
     * in any case: PostgreSQL keeps unquoted names in lower case, H2 in upper case).
     */
    static boolean indexedFirst(Connection c, String table, String column) throws SQLException {
        for (String name : new String[] {table, table.toUpperCase(java.util.Locale.ROOT)}) {
            try (ResultSet rs = c.getMetaData().getIndexInfo(c.getCatalog(), c.getSchema(), name, false, false)) {
                while (rs.next()) {
                    if (rs.getShort("ORDINAL_POSITION") == 1 && column.equalsIgnoreCase(rs.getString("COLUMN_NAME"))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
