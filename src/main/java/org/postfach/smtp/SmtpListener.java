package org.postfach.smtp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.postfach.config.Settings;
import org.postfach.intake.Intake;
import org.subethamail.smtp.server.SMTPServer;

/** One SMTP listener (the inbound MX port) on SubEtha, configured from the settings. */
public final class SmtpListener implements AutoCloseable {
    private final SMTPServer server;

    public SmtpListener(Settings settings, Intake intake, int port) {
        Settings.Smtp smtp = settings.smtp();
        InetAddress bind;
        try {
            bind = InetAddress.getByName(smtp.inboundHost());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("smtp.inbound.host: unknown host " + smtp.inboundHost(), e);
        }
        this.server = SMTPServer.port(port)
                .bindAddress(bind)
                .hostName(settings.domain())
                .softwareName("Postfach")
                .insertReceivedHeaders(false) // SPEC §5: it would carry the client's HELO and IP
                .maxMessageSize((int) Math.min(Integer.MAX_VALUE, smtp.maxMessageSize()))
                .maxRecipients(smtp.maxRecipients())
                .maxConnections(smtp.maxConnections())
                .connectionTimeout((int) Math.min(Integer.MAX_VALUE, smtp.idleTimeout().toMillis()), TimeUnit.MILLISECONDS)
                .messageHandlerFactory(ctx -> new SmtpTransaction(intake))
                .build();
        server.getCommandHandler().addCommand(new DataCommand(smtp.maxMessageSize()));
        server.getCommandHandler().addCommand(new EhloCommand());
        server.getCommandHandler().addCommand(new BdatCommand());
        server.getCommandHandler().addCommand(new EnvelopeCommands.Mail());
        server.getCommandHandler().addCommand(new EnvelopeCommands.Rcpt());
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getPortAllocated();
    }

    @Override
    public void close() {
        server.stop();
    }
}
