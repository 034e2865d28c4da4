package org.postfach.delivery;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus's SMTP client (connection, EHLO, STARTTLS, AUTH, replies) sending a message's bytes as they are: a {@link
 * Raw} message is not parsed, and its data goes straight to the connection through {@link DataWriter}. Angus's
 * data stream stays unused between DATA and the final dot, so it adds nothing (it is at the start of a line).
 * Reaching the connection's stream needs one private field of SMTPTransport; without it (another Angus version)
 * Angus's own data stream is used, slower and just as correct ({@link #direct()} tells which).
 */
final class RawTransport extends SMTPTransport {
    private static final Field SERVER_OUTPUT = serverOutputField();

    RawTransport(Session session) {
        super(session, new URLName("smtp", null, -1, null, null, null));
    }

    private static Field serverOutputField() {
        try {
            Field f = SMTPTransport.class.getDeclaredField("serverOutput");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Whether data goes to the connection directly (true with the Angus version this was built against). */
    static boolean direct() {
        return SERVER_OUTPUT != null;
    }

    @Override
    protected OutputStream data() throws MessagingException {
        OutputStream angus = super.data(); // sends DATA and expects 354
        if (SERVER_OUTPUT == null) {
            return angus;
        }
        try {
            return new Direct((OutputStream) SERVER_OUTPUT.get(this));
        } catch (IllegalAccessException e) {
            return angus;
        }
    }

    /** The connection's own (buffered) stream, marked as one that takes a message's bytes as they are. */
    static final class Direct extends java.io.FilterOutputStream {
        Direct(OutputStream connection) {
            super(connection);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() {
            // the reply to the final dot is read after SMTPTransport flushes the connection itself
        }
    }

    /** A message whose bytes are sent as they are: Angus never parses or re-encodes it. */
    static final class Raw extends SMTPMessage {
        private final byte[] bytes;

        Raw(Session session, byte[] bytes) {
            super(session);
            this.bytes = bytes;
        }

        @Override
        public void writeTo(OutputStream os, String[] ignoreList) throws IOException {
            if (os instanceof Direct) {
                DataWriter.write(bytes, os); // dot-stuffed here
            } else {
                os.write(bytes); // Angus's data stream stuffs the dots and ends the last line
            }
        }

        @Override
        public void writeTo(OutputStream os) throws IOException {
            writeTo(os, null);
        }
    }
}
