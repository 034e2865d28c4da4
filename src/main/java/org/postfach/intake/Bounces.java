package org.postfach.intake;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.postfach.bounce.Dsn;
import org.postfach.bounce.Notices;
import org.postfach.bounce.VerpAddresses;
import org.postfach.directory.AliasGenerator;
import org.postfach.directory.Directory;
import org.postfach.mail.Address;
import org.postfach.mail.MessageFacts;
import org.postfach.policy.PolicyEvent;
import org.postfach.resolve.Route;

/**
 * Reports arriving at a signed bounce address (SPEC §3.4). The report is archived with the message it is about;
 * a failure marks that message failed and a delay is noted; the original sender gets a notice that names only
 * the alias and paraphrases the status. Never a notice about a notice, never one to the null sender, only one
 * delay notice per message, and none when a seller switched notices off. Auto-replies are archived, never
 * answered.
 */
final class Bounces {
    static final String RULE = "delivery-report";
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private final MessageStore store;
    private final Directory directory;
    private final Notices notices;
    private final VerpAddresses verp;
    private final AliasGenerator tokens;
    private final String domain;
    private final Duration maxAge;
    private final UnaryOperator<byte[]> signer;

    Bounces(MessageStore store, Directory directory, Notices notices, VerpAddresses verp, AliasGenerator tokens,
            String domain, Duration maxAge, UnaryOperator<byte[]> signer) {
        this.store = store;
        this.directory = directory;
        this.notices = notices;
        this.verp = verp;
        this.tokens = tokens;
        this.domain = domain;
        this.maxAge = maxAge;
        this.signer = signer;
    }

    void accept(Optional<Address> sender, Route.BounceReturn route, MessageFacts facts, byte[] raw, Instant now) {
        Dsn.Report report = Dsn.read(raw);
        Optional<MessageStore.SentMessage> original = store.sent("<" + route.token() + "@" + domain + ">");
        String status = report.status();
        PolicyEvent event = new PolicyEvent(RULE, report.kind().name().toLowerCase(java.util.Locale.ROOT)
                + (status.isEmpty() ? "" : " " + status));
        NewMessage row = new NewMessage(now, route.name(), "RECEIVED", original.map(MessageStore.SentMessage::sellerId)
                .orElse(null), null, null, null, sender.map(Address::toString).orElse(""), verp.address(route.token()),
                null, truncate(facts.subject()), Outgoing.excerpt(facts.text()), "<" + tokens.token(24) + "@" + domain + ">", facts.messageId(),
                "remote", false, raw, null, null, null, java.util.List.of());
        NewMessage notice = original.flatMap(o -> notice(o, report, now)).orElse(null);
        String newStatus = report.kind() == Dsn.Kind.FAILED ? "FAILED" : null;
        store.saveReport(row, original.map(MessageStore.SentMessage::id).orElse(null), event, newStatus, notice);
    }

    private Optional<NewMessage> notice(MessageStore.SentMessage o, Dsn.Report report, Instant now) {
        boolean failed = report.kind() == Dsn.Kind.FAILED;
        boolean delayed = report.kind() == Dsn.Kind.DELAYED;
        if (!failed && !delayed || o.senderParty().equals("system") || o.envelopeFrom().isEmpty()
                || delayed && store.hasEvent(o.id(), RULE)) {
            return Optional.empty();
        }
        if (o.senderParty().startsWith("seller:") && o.sellerId() != null
                && !directory.seller(o.sellerId()).bounceNotices()) {
            return Optional.empty();
        }
        Optional<Address> to = Address.parse(o.envelopeFrom());
        if (to.isEmpty()) {
            return Optional.empty();
        }
        Notices.Reason reason = Notices.reason(report.status());
        String kind = failed ? Notices.DELIVERY_FAILED : Notices.DELIVERY_DELAYED;
        Instant date = failed ? o.receivedAt() : o.receivedAt().plus(maxAge);
        String token = tokens.token(24);
        byte[] bytes = signer.apply(notices.render(kind, to.get(), "", Map.of("alias", o.envelopeTo(), "subject",
                o.subject() == null ? "" : o.subject(), "date", DATE.format(date), "reason_de", reason.de(),
                "reason_en", reason.en()), now, token));
        String rcpt = to.get().toString();
        return Optional.of(new NewMessage(now, "notice", NewMessage.QUEUED, o.sellerId(), null, null, null, "", rcpt,
                rcpt, "notice: " + kind, null, "<" + token + "@" + domain + ">", null, "system", false, bytes, bytes,
                verp.address(token), null, java.util.List.of()));
    }

    private static String truncate(String s) {
        return s.length() <= 1000 ? s : s.substring(0, 1000);
    }
}
