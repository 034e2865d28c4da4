package org.postfach.intake;

import jakarta.mail.MessagingException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postfach.bounce.Notices;
import org.postfach.bounce.VerpAddresses;
import org.postfach.directory.AliasGenerator;
import org.postfach.directory.Directory;
import org.postfach.mail.Address;
import org.postfach.mail.Attachments;
import org.postfach.mail.Envelope;
import org.postfach.mail.MessageFacts;
import org.postfach.mail.Replies;
import org.postfach.mail.SmtpReply;
import org.postfach.mail.Tally;
import org.postfach.policy.Candidate;
import org.postfach.policy.Policy;
import org.postfach.policy.PolicyEvent;
import org.postfach.policy.QuotaExceededException;
import org.postfach.policy.Verdict;
import org.postfach.proof.SenderProof;
import org.postfach.queue.HandOff;
import org.postfach.resolve.Resolution;
import org.postfach.resolve.Resolver;
import org.postfach.resolve.Route;
import org.postfach.rewrite.ContactRedactor;
import org.postfach.rewrite.Rewriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound flow, top to bottom: resolve, policy, rewrite, store in one transaction, then the reply.
 * Any front door (the SMTP listeners, later the seller console) hands its mail to this class.
 */
public final class Intake {
    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);
    static final String SENDER_PROOF_RULE = "sender-proof";
    private final Resolver resolver;
    private final Policy policy;
    private final Directory directory;
    private final MessageStore store;
    private final Outgoing outgoing;
    private final Bounces bounces;
    private final Clock clock;
    private final HandOff handOff;
    private final Optional<SenderProof> proof;

    public Intake(Resolver resolver, Policy policy, Directory directory, Rewriter rewriter, ContactRedactor redactor,
                  MessageStore store, VerpAddresses verp, AliasGenerator tokens, Notices notices,
                  List<String> importantTags, String domain, java.time.Duration maxAge, Clock clock,
                  HandOff handOff, Optional<SenderProof> proof, java.util.function.UnaryOperator<byte[]> signer,
                  org.postfach.links.Links links) {
        this.resolver = resolver;
        this.policy = policy;
        this.directory = directory;
        this.store = store;
        this.outgoing = new Outgoing(directory, rewriter, redactor, new Threading(store, domain), verp, tokens,
                notices, importantTags, domain, signer, links);
        this.bounces = new Bounces(store, directory, notices, verp, tokens, domain, maxAge, signer);
        this.clock = clock;
        this.handOff = handOff;
        this.proof = proof;
    }

    private volatile Tally tally = Tally.NONE;

    /** Where accepted, refused and blocked mail is counted (the metrics); set once while wiring. */
    public void countWith(Tally tally) {
        this.tally = tally;
    }

    /** SPEC §7: on the submission port the signed-in seller must own the envelope sender. */
    public boolean sellerOwns(String sellerId, Address address) {
        return directory.sellerByAddress(address).map(s -> s.id().equals(sellerId)).orElse(false);
    }

    /** {@code RCPT TO}: the route for this recipient, or the refusal; {@code pending} were accepted before. */
    public Resolution recipient(Optional<Address> sender, Address recipient, List<Route> pending) {
        Resolution r = resolve(sender, recipient, pending);
        if (!r.accepted()) {
            tally.count("refused", r.refusal().code() + " " + r.refusal().enhanced());
        }
        return r;
    }

    private Resolution resolve(Optional<Address> sender, Address recipient, List<Route> pending) {
        Resolution r = resolver.recipient(sender, recipient);
        if (!r.accepted()) {
            return r;
        }
        if (!pending.isEmpty() && (pending.get(0) instanceof Route.BounceReturn) != (r.route() instanceof Route.BounceReturn)) {
            return Resolution.refuse(Replies.MIXED_ROUTES); // a report and a message are stored differently
        }
        Verdict v = policy.envelope(r.route(), pending); // envelope rules: the sender learns early
        return v instanceof Verdict.Defer d ? Resolution.refuse(d.reply()) : r;
    }

    /** End of {@code DATA}: the whole message has been read; store it for every route, or refuse it. */
    public SmtpReply accept(Envelope envelope, List<Route> routes, byte[] raw) {
        long start = System.nanoTime();
        SmtpReply reply = acceptWhole(envelope, routes, raw);
        if (reply.code() >= 400) {
            tally.count("refused", reply.code() + " " + reply.enhanced());
        } else {
            for (Route route : routes) {
                tally.count("accepted", route.name());
            }
        }
        tally.time("intake", reply.code() >= 400 ? "refused" : "accepted", System.nanoTime() - start);
        return reply;
    }

    private SmtpReply acceptWhole(Envelope envelope, List<Route> routes, byte[] raw) {
        Optional<Address> sender = envelope.sender();
        if (routes.get(0) instanceof Route.BounceReturn) {
            MessageFacts facts = parseOrEmpty(raw); // a report is kept even when it is malformed
            Instant now = clock.instant();
            for (Route route : routes) {
                bounces.accept(sender, (Route.BounceReturn) route, facts, raw, now);
            }
            handOff.queued(); // notices about the report, if any, wait in the queue table
            LOG.info("report accepted route=bounce recipients={}", routes.size());
            return Replies.OK;
        }
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
        Optional<PolicyEvent> proven = Optional.empty();
        if (proof.isPresent() && envelope.signedInSeller().isEmpty() && routes.stream().anyMatch(Intake::claimsParty)) {
            String fromDomain = facts.from().get().domain(); // checkFrom refused a missing From:
            SenderProof.Verdict v = proof.get().check(envelope.clientIp(), envelope.helo(),
                    sender.map(Address::toString).orElse(""), fromDomain, raw);
            LOG.info("sender proof {} {}", v.outcome(), v.summary());
            if (v.outcome() == SenderProof.Outcome.TEMPORARY) {
                return Replies.SENDER_NOT_VERIFIABLE;
            }
            if (v.outcome() == SenderProof.Outcome.FAIL) {
                return Replies.SENDER_NOT_VERIFIED.withText(
                        String.format(Replies.SENDER_NOT_VERIFIED.text(), fromDomain));
            }
            proven = Optional.of(new PolicyEvent(SENDER_PROOF_RULE, v.summary())); // archive only, never delivered
        }
        Attachments.Scan scan = Attachments.scan(raw);
        Instant now = clock.instant();
        List<NewMessage> out = new ArrayList<>();
        for (Route route : routes) {
            Policy.Outcome o = policy.content(new Candidate(route, facts, scan.attachments(), scan.problems()));
            List<PolicyEvent> events = new ArrayList<>(o.events());
            if (claimsParty(route)) {
                proven.ifPresent(events::add);
            }
            if (o.verdict() instanceof Verdict.Reject r) {
                LOG.info("refused route={} rule={} reply={}", route.name(), r.rule(), r.reply().code());
                return r.reply();
            }
            if (o.verdict() instanceof Verdict.Defer d) {
                return d.reply();
            }
            if (o.verdict() instanceof Verdict.Block b) {
                tally.count("blocked", b.rule());
                out.add(outgoing.blocked(sender, route, facts, raw, now, b, events, scan.attachments().size()));
                outgoing.notice(sender, route, facts, now, b).ifPresent(out::add);
            } else {
                out.add(outgoing.relayed(sender, route, facts, raw, now, events, scan.attachments().size()));
            }
        }
        List<Long> ids;
        List<NewMessage> queued = out.stream().filter(m -> NewMessage.QUEUED.equals(m.status())).toList();
        long queuedBytes = queued.stream().mapToLong(m -> m.delivered() == null ? 0 : m.delivered().length).sum();
        HandOff.Ticket ticket = queued.isEmpty() ? null : handOff.reserve(queued.size(), queuedBytes);
        try {
            ids = store.save(out, policy.quotas(routes), ticket);
        } catch (QuotaExceededException e) {
            cancel(ticket);
            return Replies.dailyLimit(e.quota().limit());
        } catch (RuntimeException | Error e) {
            cancel(ticket);
            throw e;
        }
        for (int i = 0; i < out.size(); i++) {
            NewMessage m = out.get(i);
            LOG.info("accepted message={} route={} alias={} status={}{}", ids.get(i), m.route(), m.buyerAlias(),
                    m.status(), m.blockedRule() == null ? "" : " rule=" + m.blockedRule());
        }
        if (ticket != null) {
            ticket.confirm();
        } else if (!queued.isEmpty()) {
            handOff.queued();
        }
        return Replies.OK;
    }

    private static void cancel(HandOff.Ticket ticket) {
        if (ticket != null) {
            ticket.cancel();
        }
    }

    /** SPEC §7: routes whose From: claims a registered seller or buyer must prove it; carriers and reports not. */
    private static boolean claimsParty(Route route) {
        return route instanceof Route.SellerToBuyer || route instanceof Route.BuyerToSeller;
    }

    private static MessageFacts parseOrEmpty(byte[] raw) {
        try {
            return MessageFacts.parse(raw);
        } catch (MessagingException | RuntimeException e) {
            return new MessageFacts("", Optional.empty(), null, List.of(), List.of(), false, "");
        }
    }
}
