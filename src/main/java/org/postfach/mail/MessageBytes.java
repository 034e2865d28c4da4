package org.postfach.mail;

/**
 * Where the header block of a raw message, or of one MIME part of it, ends: at the first empty line (RFC 5322
 * 2.1; LF alone is taken as a line end too, as stored parts may have it). One place for the header parser, the
 * contact redactor and the message store.
 */
public final class MessageBytes {
    private MessageBytes() {
    }

    /** Where the empty line that ends the header block of {@code d[start, end)} begins, or -1 without one. */
    public static int blankLine(byte[] d, int start, int end) {
        for (int i = start; i < end; i++) {
            if ((i == start || d[i - 1] == '\n')
                    && (d[i] == '\n' || d[i] == '\r' && i + 1 < end && d[i + 1] == '\n')) {
                return i;
            }
        }
        return -1;
    }

    /** Where the body of {@code d[start, end)} starts: just after that empty line; {@code end} without one. */
    public static int bodyStart(byte[] d, int start, int end) {
        int blank = blankLine(d, start, end);
        return blank < 0 ? end : after(d, blank);
    }

    /** Just after the empty line that begins at {@code blank} (a {@link #blankLine} answer). */
    public static int after(byte[] d, int blank) {
        return blank + (d[blank] == '\r' ? 2 : 1);
    }
}
