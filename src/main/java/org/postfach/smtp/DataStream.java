package org.postfach.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.postfach.mail.ByteScan;

/**
 * The body of DATA as it was meant (RFC 5321 4.5.2): ends before the line {@code .<CR><LF>}, and the first dot of
 * every line that begins with one is removed, the first line's too (SubEtha's unstuffing left that one alone).
 * It reads the connection in blocks, yet never past the terminating line: what follows it is the client's next
 * command (pipelining), and the connection's buffered stream is reset to just behind the terminator. SubEtha's
 * two streams for this read one byte per call through three layers, which was a fifth of the relay's CPU time for
 * 100 KB messages (bench/RESULTS.md); inside a line, the bytes up to the next line break are found eight at a time
 * ({@link ByteScan}) and copied in one go.
 */
final class DataStream extends InputStream {
    private static final int LINE_START = 0;
    private static final int MIDDLE = 1;
    private static final int AFTER_CR = 2;
    /** A line began with a dot; it is dropped (unstuffed) unless the line is the terminator. */
    private static final int DOT = 3;
    /** A line began with a dot and a CR: the terminator if LF follows. */
    private static final int DOT_CR = 4;

    private final InputStream in;
    private final boolean blocks;
    private byte[] raw = new byte[0];
    private int state = LINE_START; // DATA begins after the CRLF of the DATA command's line
    private int pending = -1; // a byte that did not fit into the last read
    private boolean ended;

    DataStream(InputStream in) {
        this.in = in;
        this.blocks = in.markSupported();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        while ((n = read(one, 0, 1)) == 0) {
            // a dropped dot produced nothing yet
        }
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] out, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int o = off;
        if (pending >= 0) {
            out[o++] = (byte) pending;
            pending = -1;
            if (o - off == len) {
                return len;
            }
        }
        if (ended) {
            return o > off ? o - off : -1;
        }
        int space = off + len - o;
        // each byte read gives at most one byte out, except that a held-back "." CR from the last read gives one more
        int want = !blocks ? 1 : state == DOT_CR && space > 1 ? space - 1 : space;
        if (raw.length < want) {
            raw = new byte[want];
        }
        if (blocks) {
            in.mark(want);
        }
        int n = in.read(raw, 0, want);
        if (n < 0) {
            throw new EOFException("the connection ended inside DATA, before <CRLF>.<CRLF>");
        }
        for (int i = 0; i < n; ) {
            if (state == MIDDLE) { // inside a line, the bytes up to the next line break go out as they are
                int end = ByteScan.lineBreak(raw, i, n);
                System.arraycopy(raw, i, out, o, end - i);
                o += end - i;
                i = end;
                if (i == n) {
                    break;
                }
            }
            byte b = raw[i++];
            switch (state) {
                case LINE_START -> {
                    if (b == '.') {
                        state = DOT;
                    } else {
                        out[o++] = b;
                        state = b == '\r' ? AFTER_CR : MIDDLE;
                    }
                }
                case MIDDLE -> {
                    out[o++] = b;
                    if (b == '\r') {
                        state = AFTER_CR;
                    }
                }
                case AFTER_CR -> {
                    out[o++] = b;
                    state = b == '\n' ? LINE_START : b == '\r' ? AFTER_CR : MIDDLE;
                }
                case DOT -> { // the leading dot is dropped
                    if (b == '\r') {
                        state = DOT_CR;
                    } else {
                        out[o++] = b;
                        state = MIDDLE;
                    }
                }
                default -> { // DOT_CR
                    if (b == '\n') {
                        ended = true;
                        consumed(i, n);
                        return o - off;
                    }
                    out[o++] = '\r'; // the held-back CR: one byte more than this read took in, at most
                    if (o < off + len) {
                        out[o++] = b;
                    } else {
                        pending = b & 0xff;
                    }
                    state = b == '\r' ? AFTER_CR : MIDDLE;
                }
            }
        }
        return o - off;
    }

    /** Of the {@code n} bytes read, only the first {@code used} belong to DATA: the rest go back to the connection. */
    private void consumed(int used, int n) throws IOException {
        if (used == n) {
            return;
        }
        in.reset();
        long left = used;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("the connection ended inside DATA");
                }
                s = 1;
            }
            left -= s;
        }
    }
}
