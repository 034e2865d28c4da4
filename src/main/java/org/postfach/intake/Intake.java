package org.postfach.intake;

import jakarta.mail.MessagingException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.postfach.bounce.VerpAddresses;
import org.postfach.directory.AliasGenerator;
import org.postfach.directory.Directory;
import org.postfach.mail.Address;
import org.postfach.mail.MessageFacts;
import org.postfach.mail.Replies;
import org.postfach.mail.SmtpReply;
import org.postfach.resolve.Resolution;
import org.postfach.resolve.Resolver;
import org.postfach.resolve.Route;
import org.postfach.rewrite.Rewriter;
import org.postfach.rewrite.Rewriter.Party;

/**
 * The inbound flow, top to bottom: resolve, check, rewrite, store in one transaction, then the reply.
 * Any front door (the SMTP listeners, later the seller console) hands its mail to this class.
 */
public final class Intake {
    private final Resolver resolver;
    private final Directory directory;
    private final Rewriter rewriter;
    private final MessageStore store;
    private final Threading threading;
    private final VerpAddresses verp;
    private final AliasGenerator tokens;
    private final String domain;
    private final Clock clock;
    private final Runnable onStored;

    public Intake(Resolver resolver, Directory directory, Rewriter rewriter, MessageStore store, VerpAddresses verp,
                  AliasGenerator tokens, String domain, Clock clock, Runnable onStored) {
        this.resolver = resolver;
        this.directory = directory;
        this.rewriter = rewriter;
        this.store = store;
        this.threading = new Threading(store, domain);
        this.verp = verp;
        this.tokens = tokens;
        this.domain = domain;
        this.clock = clock;
        this.onStored = onStored;
    }

    /** {@code RCPT TO}: the route for this recipient, or the refusal. */
    public Resolution recipient(Optional<Address> sender, Address recipient) {
        return resolver.recipient(sender, recipient);
    }

    /** End of {@code DATA}: the whole message has been read; store it for every route, or refuse it. */
    public SmtpReply accept(Optional<Address> sender, List<Route> routes, byte[] raw) {
        MessageFacts facts;
        try {
            facts = MessageFacts.parse(raw);
        } catch (MessagingException | RuntimeException e) {
            return Replies.MALFORMED_MESSAGE;
        }
        for (Route route : routes) {
            Optional<SmtpReply> refusal = resolver.checkFrom(route, facts.from());
            if (refusal.isPresent()) {
                return refusal.get();
            }
        }
        Instant now = clock.instant();
        List<NewMessage> out = new ArrayList<>();
        for (Route route : routes) {
            out.add(prepare(sender, route, facts, raw, now));
        }
        store.save(out);
        onStored.run();
        return Replies.OK;
    }

    private NewMessage prepare(Optional<Address> sender, Route route, MessageFacts facts, byte[] raw, Instant now) {
        String token = tokens.token(24);
        String relayId = "<" + token + "@" + domain + ">";
        Party from;
        Party to;
        String buyerId;
        String buyerAlias;
        String senderParty;
        String recipientParty;
        if (route instanceof Route.SellerToBuyer r) {
            from = new Party(r.seller().name(), r.seller().alias());
            to = new Party(r.buyer().name(), r.buyer().email().toString());
            buyerId = r.buyer().id();
            buyerAlias = r.buyerAlias();
            senderParty = "seller:" + r.seller().id();
            recipientParty = "buyer:" + buyerId;
        } else if (route instanceof Route.BuyerToSeller r) {
            buyerId = r.buyer().id();
            buyerAlias = directory.buyerAlias(r.seller().id(), buyerId); // SPEC §3.2: created now if missing
            from = new Party(r.buyer().name(), buyerAlias);
            to = new Party(r.seller().name(), r.seller().customerServiceEmail().toString());
            senderParty = "buyer:" + buyerId;
            recipientParty = "seller:" + r.seller().id();
        } else {
            Route.CarrierToBuyer r = (Route.CarrierToBuyer) route;
            from = new Party(r.seller().name() + " (" + r.carrierDomain() + ")", r.seller().alias());
            to = new Party(r.buyer().name(), r.buyer().email().toString());
            buyerId = r.buyer().id();
            buyerAlias = r.buyerAlias();
            senderParty = "carrier:" + r.carrierDomain();
            recipientParty = "buyer:" + buyerId;
        }
        List<String> inReplyTo = threading.map(facts.inReplyTo(), senderParty, recipientParty);
        List<String> references = threading.map(facts.references(), senderParty, recipientParty);
        byte[] delivered = rewriter.rewrite(raw, from, to, relayId, inReplyTo, references, Date.from(now));
        return new NewMessage(now, route.name(), NewMessage.QUEUED, route.seller().id(), buyerId, buyerAlias, null,
                sender.map(Address::toString).orElse(""), recipientAlias(route, buyerAlias), to.address(),
                truncate(facts.subject(), 1000), relayId, facts.messageId(), senderParty,
                route instanceof Route.BuyerToSeller, raw, delivered, verp.address(token));
    }

    private static String recipientAlias(Route route, String buyerAlias) {
        return route instanceof Route.BuyerToSeller ? route.seller().alias() : buyerAlias;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
