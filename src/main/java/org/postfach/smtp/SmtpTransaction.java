package org.postfach.smtp;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postfach.intake.Intake;
import org.postfach.mail.Address;
import org.postfach.mail.Envelope;
import org.postfach.mail.Replies;
import org.postfach.mail.SmtpReply;
import org.postfach.resolve.Resolution;
import org.postfach.resolve.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;

/**
 * One mail transaction (MAIL, RCPT..., DATA) on a SubEtha session. Envelope checks run at RCPT so that the
 * sender learns early; the message itself is handed over by {@link DataCommand}.
 */
final class SmtpTransaction implements MessageHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpTransaction.class);
    private final Intake intake;
    private final MessageContext session;
    private Optional<Address> sender = Optional.empty();
    private final List<Route> routes = new ArrayList<>();

    SmtpTransaction(Intake intake, MessageContext session) {
        this.intake = intake;
        this.session = session;
    }

    static RejectException reject(SmtpReply reply) {
        return new RejectException(reply.code(), reply.enhanced() + " " + reply.text());
    }

    @Override
    public void from(String from) throws RejectException {
        Optional<String> seller = session.getAuthenticationHandler().map(h -> (String) h.getIdentity());
        if (from == null || from.isEmpty()) {
            if (seller.isPresent()) {
                throw reject(Replies.NOT_YOUR_ADDRESS); // a signed-in seller sends from one of its addresses
            }
            sender = Optional.empty(); // the null sender <>
            return;
        }
        Address address = Address.parse(from).orElseThrow(() -> reject(Replies.BAD_SENDER_SYNTAX));
        if (seller.isPresent() && !intake.sellerOwns(seller.get(), address)) {
            throw reject(Replies.NOT_YOUR_ADDRESS); // SPEC §3.1, §7: the signed-in seller must own the sender
        }
        sender = Optional.of(address);
    }

    @Override
    public void recipient(String recipient) throws RejectException {
        Address rcpt = Address.parse(recipient).orElseThrow(() -> reject(Replies.BAD_RECIPIENT_SYNTAX));
        Resolution r;
        try {
            r = intake.recipient(sender, rcpt, List.copyOf(routes));
        } catch (RuntimeException e) {
            LOG.error("RCPT could not be resolved", e);
            throw reject(Replies.TEMPORARY_FAILURE);
        }
        if (!r.accepted()) {
            throw reject(r.refusal());
        }
        routes.add(r.route());
    }

    /** End of DATA with the whole message read: the reply to give. */
    SmtpReply message(byte[] raw) {
        SocketAddress remote = session.getRemoteAddress();
        String clientIp = remote instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : "";
        return intake.accept(new Envelope(clientIp, session.getHelo().orElse(""), sender,
                session.getAuthenticationHandler().map(h -> (String) h.getIdentity())), List.copyOf(routes), raw);
    }

    @Override
    public String data(InputStream data) throws RejectException {
        // Never reached: DataCommand replaces SubEtha's DATA and calls message() instead.
        throw reject(Replies.TEMPORARY_FAILURE);
    }

    @Override
    public void done() {
        // nothing held between transactions
    }
}
