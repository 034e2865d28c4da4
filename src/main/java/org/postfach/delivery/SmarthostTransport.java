package org.postfach.delivery;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.postfach.config.Settings;

/**
 * {@code delivery.mode=smarthost}: the Angus SMTP client, one connection per worker reused for several
 * messages, sending the delivered bytes as they are ({@link RawTransport}). Every timeout is set (the client's
 * defaults are infinite); STARTTLS is required whenever a password is configured, and server certificates are
 * checked.
 */
public final class SmarthostTransport implements Transport {
    private final Session session;
    private final Settings.Delivery config;
    private static final long TRUST_NANOS = 1_000_000_000L;
    private SMTPTransport transport;
    private long lastUsed;

    public SmarthostTransport(Settings.Delivery config, String heloName, Duration timeout) {
        this.config = config;
        Properties p = new Properties();
        String ms = Long.toString(timeout.toMillis());
        p.setProperty("mail.smtp.host", config.smarthostHost());
        p.setProperty("mail.smtp.port", Integer.toString(config.smarthostPort()));
        p.setProperty("mail.smtp.connectiontimeout", ms);
        p.setProperty("mail.smtp.timeout", ms);
        p.setProperty("mail.smtp.writetimeout", ms);
        p.setProperty("mail.smtp.localhost", heloName);
        p.put("mail.smtp.socketFactory", new BoundedReplies()); // Angus reads a multi-line reply without a bound
        p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        p.setProperty("mail.smtp.ssl.protocols", "TLSv1.3 TLSv1.2");
        boolean auth = config.smarthostUsername() != null;
        p.setProperty("mail.smtp.auth", Boolean.toString(auth));
        Settings.StartTls tls = auth ? Settings.StartTls.REQUIRED : config.smarthostStarttls();
        p.setProperty("mail.smtp.starttls.enable", Boolean.toString(tls != Settings.StartTls.OFF));
        p.setProperty("mail.smtp.starttls.required", Boolean.toString(tls == Settings.StartTls.REQUIRED));
        org.postfach.mail.MailStreams.install();
        this.session = Session.getInstance(p);
    }

    @Override
    public void send(String envelopeFrom, String recipient, byte[] message) throws DeliveryException {
        SMTPMessage m;
        InternetAddress[] to;
        try {
            m = new RawTransport.Raw(session, message); // sent as it is, never parsed
            m.setEnvelopeFrom(envelopeFrom.isEmpty() ? "<>" : envelopeFrom); // notices go out with the null sender
            to = new InternetAddress[] {new InternetAddress(recipient, false)};
        } catch (MessagingException e) {
            throw classify(e);
        }
        boolean reused = connect();
        try {
            sendOnce(m, to);
        } catch (DeliveryException e) {
            if (!reused || !(e.getCause() instanceof MessagingException cause && noReply(cause))) {
                throw e;
            }
            // the smarthost closed a connection we had not checked (see connect): once more, on a new one
            connect();
            sendOnce(m, to);
        }
    }

    private void sendOnce(SMTPMessage m, InternetAddress[] to) throws DeliveryException {
        try {
            transport.sendMessage(m, to);
            lastUsed = System.nanoTime();
        } catch (MessagingException e) {
            closeQuietly(); // the session may be out of step; the next message opens a new one
            throw classify(e);
        }
    }

    /**
     * A connection used within the last second is taken as it is; an older one is checked with NOOP first (Angus's
     * isConnected). Checking every time cost a round trip per message. True when an open connection was reused.
     */
    private boolean connect() throws DeliveryException {
        try {
            if (transport != null && (System.nanoTime() - lastUsed < TRUST_NANOS || transport.isConnected())) {
                return true;
            }
            closeQuietly();
            transport = new RawTransport(session);
            transport.connect(config.smarthostHost(), config.smarthostPort(), config.smarthostUsername(),
                    config.smarthostPassword());
            lastUsed = System.nanoTime();
            return false;
        } catch (MessagingException e) {
            closeQuietly();
            throw classify(e);
        }
    }

    /** A failure and the exceptions it chains (Angus links them with getNextException). */
    private static java.util.stream.Stream<Exception> chain(MessagingException e) {
        return java.util.stream.Stream.iterate((Exception) e, java.util.Objects::nonNull,
                x -> x instanceof MessagingException me ? me.getNextException() : null);
    }

    /** The failure came without any reply from the smarthost: the connection itself was gone. */
    private static boolean noReply(MessagingException e) {
        return chain(e).filter(x -> x instanceof SMTPAddressFailedException || x instanceof SMTPSendFailedException
                || x instanceof IOException).findFirst().map(x -> x instanceof IOException).orElse(false);
    }

    static DeliveryException classify(MessagingException e) {
        for (Exception x : chain(e).toList()) {
            int code = -1;
            if (x instanceof SMTPAddressFailedException a) {
                code = a.getReturnCode();
            } else if (x instanceof SMTPSendFailedException s) {
                code = s.getReturnCode();
            }
            if (code >= 500) {
                return new DeliveryException(true, x.getMessage(), e);
            }
            if (code >= 400) {
                return new DeliveryException(false, x.getMessage(), e);
            }
            if (x instanceof IOException) {
                break;
            }
        }
        return new DeliveryException(false, String.valueOf(e.getMessage()), e);
    }

    private void closeQuietly() {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException | RuntimeException ignored) {
                // already broken
            }
            transport = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
