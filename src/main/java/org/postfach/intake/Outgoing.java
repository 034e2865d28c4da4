package org.postfach.intake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.postfach.bounce.Notices;
import org.postfach.bounce.VerpAddresses;
import org.postfach.directory.AliasGenerator;
import org.postfach.directory.Directory;
import org.postfach.links.Links;
import org.postfach.mail.Address;
import org.postfach.mail.MessageFacts;
import org.postfach.policy.PolicyEvent;
import org.postfach.policy.Verdict;
import org.postfach.resolve.Route;
import org.postfach.rewrite.ContactRedactor;
import org.postfach.rewrite.Footer;
import org.postfach.rewrite.Rewriter;
import org.postfach.rewrite.Rewriter.Party;

/**
 * Builds the archive rows of one accepted message: the relayed form (contact details removed, headers
 * rewritten, threads mapped), the blocked form (archived as it came, no delivered form) and the notice to the
 * seller about a blocked message.
 */
final class Outgoing {
    static final String CONTACT_RULE = "contact-details";
    private static final java.time.format.DateTimeFormatter DATE =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC);
    private final Directory directory;
    private final Rewriter rewriter;
    private final ContactRedactor redactor;
    private final Threading threading;
    private final VerpAddresses verp;
    private final AliasGenerator tokens;
    private final Notices notices;
    private final List<String> importantTags;
    private final String domain;
    private final UnaryOperator<byte[]> signer;
    private final Links links;

    Outgoing(Directory directory, Rewriter rewriter, ContactRedactor redactor, Threading threading,
             VerpAddresses verp, AliasGenerator tokens, Notices notices, List<String> importantTags, String domain,
             UnaryOperator<byte[]> signer, Links links) {
        this.directory = directory;
        this.rewriter = rewriter;
        this.redactor = redactor;
        this.threading = threading;
        this.verp = verp;
        this.tokens = tokens;
        this.notices = notices;
        this.importantTags = importantTags;
        this.domain = domain;
        this.signer = signer;
        this.links = links;
    }

    /** Who writes and who reads, as each side sees the other (SPEC §3). */
    private record Parties(Party from, Party to, String buyerId, String buyerAlias, String senderParty,
                           String recipientParty) {
    }

    private Parties parties(Route route) {
        if (route instanceof Route.SellerToBuyer r) {
            return new Parties(new Party(r.seller().name(), r.seller().alias()),
                    new Party(r.buyer().name(), r.buyer().email().toString()), r.buyer().id(), r.buyerAlias(),
                    "seller:" + r.seller().id(), "buyer:" + r.buyer().id());
        }
        if (route instanceof Route.BuyerToSeller r) {
            String alias = directory.buyerAlias(r.seller().id(), r.buyer().id()); // SPEC §3.2: created now if missing
            return new Parties(new Party(r.buyer().name(), alias),
                    new Party(r.seller().name(), r.seller().customerServiceEmail().toString()), r.buyer().id(),
                    alias, "buyer:" + r.buyer().id(), "seller:" + r.seller().id());
        }
        Route.CarrierToBuyer r = (Route.CarrierToBuyer) route;
        return new Parties(new Party(r.seller().name() + " (" + r.carrierDomain() + ")", r.seller().alias()),
                new Party(r.buyer().name(), r.buyer().email().toString()), r.buyer().id(), r.buyerAlias(),
                "carrier:" + r.carrierDomain(), "buyer:" + r.buyer().id());
    }

    NewMessage relayed(Optional<Address> sender, Route route, MessageFacts facts, byte[] raw, Instant now,
                       List<PolicyEvent> policyEvents, int attachments) {
        Parties p = parties(route);
        List<PolicyEvent> events = new ArrayList<>(policyEvents);
        String token = tokens.token(24);
        String relayId = "<" + token + "@" + domain + ">";
        byte[] body = raw;
        String subject = null;
        if (!(route instanceof Route.CarrierToBuyer)) {
            // SPEC §10: a buyer's message ends with the seller's in-mail actions on it
            Footer footer = null;
            if (route instanceof Route.BuyerToSeller) {
                Links.Actions a = links.actions(relayId, route.seller().id(), now);
                footer = Footer.actions(a.noResponseNeeded(), a.report());
            }
            // SPEC §4: contact details of buyers and sellers never reach the other side. A carrier's notice is
            // the carrier's own text (service numbers included) and stays as it came.
            ContactRedactor.Result redacted = redactor.redact(raw, footer);
            List<ContactRedactor.Removal> removals = new ArrayList<>(redacted.removals());
            String cleanSubject = redactor.redactText(facts.subject(), "subject", removals);
            subject = cleanSubject.equals(facts.subject()) ? null : cleanSubject;
            body = redacted.message();
            for (ContactRedactor.Removal r : removals) {
                events.add(new PolicyEvent(CONTACT_RULE, r.kind() + " removed from " + r.where()));
            }
        }
        List<String> inReplyTo = threading.map(facts.inReplyTo(), p.senderParty(), p.recipientParty());
        List<String> references = threading.map(facts.references(), p.senderParty(), p.recipientParty());
        // SPEC §10: a seller's message offers the buyer to opt out of this seller in one click
        String optOut = route instanceof Route.SellerToBuyer r ? links.optOutUrl(r.buyer().id(), r.seller().id()) : null;
        // SPEC §7: signed before it is stored, so the archive holds exactly what is sent
        byte[] delivered = signer.apply(rewriter.rewrite(body, p.from(), p.to(), relayId, inReplyTo, references,
                Date.from(now), subject, optOut));
        return new NewMessage(now, route.name(), NewMessage.QUEUED, route.seller().id(), p.buyerId(), p.buyerAlias(),
                orderOf(route, p, facts), sender.map(Address::toString).orElse(""), recipientAlias(route, p.buyerAlias()),
                p.to().address(), truncate(facts.subject()), excerpt(facts.text()), relayId, facts.messageId(), p.senderParty(),
                route instanceof Route.BuyerToSeller, raw, delivered, verp.address(token), null, events, attachments);
    }

    /** SPEC §4: archived as it came, never delivered; the deciding rule is kept with it. */
    NewMessage blocked(Optional<Address> sender, Route route, MessageFacts facts, byte[] raw, Instant now,
                       Verdict.Block block, List<PolicyEvent> policyEvents, int attachments) {
        Parties p = parties(route);
        List<PolicyEvent> events = new ArrayList<>(policyEvents);
        events.add(new PolicyEvent(block.rule(), "blocked"));
        String relayId = "<" + tokens.token(24) + "@" + domain + ">";
        return new NewMessage(now, route.name(), NewMessage.BLOCKED, route.seller().id(), p.buyerId(),
                p.buyerAlias(), orderOf(route, p, facts), sender.map(Address::toString).orElse(""),
                recipientAlias(route, p.buyerAlias()),
                null, truncate(facts.subject()), excerpt(facts.text()), relayId, facts.messageId(), p.senderParty(), false,
                raw, null, null,
                block.rule(), events, attachments);
    }

    /**
     * SPEC §4: the seller learns that and why the message was blocked, naming only the buyer alias. No notice
     * when the seller switched notices off, and none about automatic mail (an auto-reply answered by a notice
     * answered by an auto-reply is a loop). A notice goes out with a bounce address of its own, so that its
     * delivery is tracked like any message; a bounce of a notice is recorded, never answered with a notice.
     */
    Optional<NewMessage> notice(Optional<Address> sender, Route route, MessageFacts facts, Instant now,
                                Verdict.Block block) {
        if (sender.isEmpty() || facts.autoSubmitted() || !route.seller().bounceNotices()
                || !(route instanceof Route.SellerToBuyer r)) {
            return Optional.empty();
        }
        String token = tokens.token(24);
        byte[] bytes = signer.apply(notices.render(block.notice(), sender.get(), r.seller().name(),
                Map.of("alias", r.buyerAlias(), "subject", facts.subject(), "tags", String.join(" ", importantTags),
                        "domain", domain, "date", DATE.format(now)),
                now, token));
        String to = sender.get().toString();
        return Optional.of(new NewMessage(now, "notice", NewMessage.QUEUED, r.seller().id(), r.buyer().id(),
                r.buyerAlias(), null, "", to, to, "notice: " + block.notice(), null, "<" + token + "@" + domain + ">", null,
                "system", false, bytes, bytes, verp.address(token), null, List.of()));
    }

    /**
     * SPEC §4, §8: the order of the pair that the message names, in its subject first, then in its body text; the
     * archive is searched by it. Null when it names none (or the pair has no orders).
     */
    private String orderOf(Route route, Parties p, MessageFacts facts) {
        List<org.postfach.directory.Order> orders = directory.orders(route.seller().id(), p.buyerId());
        for (String text : List.of(facts.subject(), facts.text())) {
            for (org.postfach.directory.Order o : orders) {
                if (o.namedIn(text)) {
                    return o.id();
                }
            }
        }
        return null;
    }

    private static String recipientAlias(Route route, String buyerAlias) {
        return route instanceof Route.BuyerToSeller ? route.seller().alias() : buyerAlias;
    }

    /** The first 4,000 characters of the stripped text, without copying the whole text to strip its end. */
    static String excerpt(String text) {
        if (text == null) {
            return "";
        }
        String t = text.stripLeading(); // the text itself when it begins with a word
        int end = t.length();
        while (end > 0 && Character.isWhitespace(t.codePointBefore(end))) {
            end -= Character.charCount(t.codePointBefore(end));
        }
        return t.substring(0, Math.min(end, 4000));
    }

    private static String truncate(String s) {
        return s.length() <= 1000 ? s : s.substring(0, 1000);
    }
}
