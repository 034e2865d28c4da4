package org.postfach.smtp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.postfach.config.Settings;
import org.postfach.intake.Intake;
import org.subethamail.smtp.server.SMTPServer;

/**
 * One SMTP listener (the inbound MX port) on SubEtha, configured from the settings. SubEtha accepts connections,
 * keeps the session state and makes the TLS socket; {@link Sessions} admits each session and runs Postfach's own
 * {@link Dialogue} on it (ADR 0003).
 */
public final class SmtpListener implements AutoCloseable {
    static final java.time.Duration SHUTDOWN_GRACE = java.time.Duration.ofSeconds(5);
    private final SMTPServer server;
    private final Sessions sessions;

    public SmtpListener(Settings settings, Intake intake, int port) {
        this(settings, intake, port, java.util.Optional.empty());
    }

    /**
     * The submission port (SPEC §7): sellers sign in with the credentials from the API, after STARTTLS unless
     * {@code smtp.submission.requireTls=false}. {@code login}: user name and password to the seller id.
     */
    public static SmtpListener submission(Settings settings, Intake intake,
                                          java.util.function.BiFunction<String, String, java.util.Optional<String>> login,
                                          java.time.Clock clock) {
        return new SmtpListener(settings, intake, settings.smtp().submissionPort(), java.util.Optional.of(
                new Submission(settings.smtp().submissionRequireTls(), login, clock)));
    }

    private SmtpListener(Settings settings, Intake intake, int port, java.util.Optional<Submission> submission) {
        Settings.Smtp smtp = settings.smtp();
        InetAddress bind;
        try {
            bind = InetAddress.getByName(smtp.inboundHost());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("smtp.inbound.host: unknown host " + smtp.inboundHost(), e);
        }
        java.nio.file.Path spool = settings.dataDir().resolve("spool");
        Spool.clear(spool);
        this.sessions = new Sessions(smtp.maxConnections(), smtp.maxConnectionsPerIp(), smtp.sessionTimeout(),
                new VerbTable(smtp.maxMessageSize(), smtp.maxRecipients(), submission, spool), smtp.maxLineLength(),
                smtp.maxErrors());
        SMTPServer.Builder builder = SMTPServer.port(port)
                .bindAddress(bind)
                .hostName(settings.domain())
                .softwareName("Postfach")
                .insertReceivedHeaders(false) // SPEC §5: it would carry the client's HELO and IP
                .maxMessageSize((int) Math.min(Integer.MAX_VALUE, smtp.maxMessageSize()))
                .maxRecipients(smtp.maxRecipients())
                // Sessions enforces smtp.maxConnections with an enhanced code; SubEtha's own check must never answer
                .maxConnections(smtp.maxConnections() + Sessions.SUBETHA_MARGIN)
                .sessionHandler(sessions)
                // the socket read timeout: Dialogue answers it with 421 4.4.2
                .connectionTimeout((int) smtp.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .messageHandlerFactory(ctx -> new SmtpTransaction(intake, ctx));
        if (smtp.tls()) {
            builder.enableTLS(true).startTlsSocketFactory(Tls.startTls(Tls.context(smtp.tlsCertificate(), smtp.tlsKey())));
        }
        this.server = builder.build();
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getPortAllocated();
    }

    /**
     * Stops gracefully: new sessions get 421 4.3.2, a session under way gets {@link #SHUTDOWN_GRACE} to finish its
     * mail transaction; then SubEtha closes the server socket and whatever is left.
     */
    @Override
    public void close() {
        try {
            sessions.drain(SHUTDOWN_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop();
        sessions.close();
    }
}
