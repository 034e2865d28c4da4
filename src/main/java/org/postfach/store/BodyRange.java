package org.postfach.store;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What a purge removes of one stored form ({@link Bodies}): a range of a segment, or (offset -1) a file of one
 * message as written before segments. A line of the purge journal each.
 */
record BodyRange(String name, long offset, long length) {
    boolean inSegment() {
        return name.endsWith(Segments.SUFFIX) && offset >= 0;
    }

    String line() {
        return inSegment() ? name + " " + offset + " " + length : name;
    }

    static BodyRange parse(String line) {
        String[] f = line.trim().split(" ");
        return f.length == 3 ? new BodyRange(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]))
                : new BodyRange(f[0], -1, -1);
    }

    /** The range (or file) a row of {@code file_name, file_offset, file_length} names. */
    static BodyRange of(ResultSet rs) throws SQLException {
        String name = rs.getString(1);
        return name.endsWith(Segments.SUFFIX) ? new BodyRange(name, rs.getLong(2), rs.getLong(3))
                : new BodyRange(name, -1, -1);
    }
}
