package org.postfach.intake;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postfach.bounce.Notices;
import org.postfach.bounce.VerpAddresses;
import org.postfach.directory.AliasGenerator;
import org.postfach.directory.Directory;
import org.postfach.mail.Address;
import org.postfach.policy.PolicyEvent;
import org.postfach.queue.FailureNotices;

/**
 * The final failure notice (SPEC §3.4, §6): when the relay gives a message up, its sender gets the
 * {@code delivery-failed} notice, which names only the alias and paraphrases the status. Never a notice about a
 * notice, never one to the null sender, none when a seller switched notices off, and at most one per message
 * (the {@value #RULE} event on the original is the mark, written in the same transaction as the notice).
 */
public final class DeliveryFailures implements FailureNotices {
    static final String RULE = "delivery-failed";
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private final MessageStore store;
    private final Directory directory;
    private final Notices notices;
    private final VerpAddresses verp;
    private final AliasGenerator tokens;
    private final String domain;
    private final java.util.function.UnaryOperator<byte[]> signer;

    public DeliveryFailures(MessageStore store, Directory directory, Notices notices, VerpAddresses verp,
                            AliasGenerator tokens, String domain) {
        this(store, directory, notices, verp, tokens, domain, java.util.function.UnaryOperator.identity());
    }

    /** {@code signer} DKIM-signs the notice like every other message that leaves (SPEC §7). */
    public DeliveryFailures(MessageStore store, Directory directory, Notices notices, VerpAddresses verp,
                            AliasGenerator tokens, String domain, java.util.function.UnaryOperator<byte[]> signer) {
        this.signer = signer;
        this.store = store;
        this.directory = directory;
        this.notices = notices;
        this.verp = verp;
        this.tokens = tokens;
        this.domain = domain;
    }

    @Override
    public void failed(long messageId, String status, Instant now) {
        Optional<MessageStore.SentMessage> original = store.sent(messageId);
        if (original.isEmpty() || store.hasEvent(messageId, RULE)) {
            return;
        }
        MessageStore.SentMessage o = original.get();
        store.saveNotice(o.id(), new PolicyEvent(RULE, status), notice(o, status, now).orElse(null), now);
    }

    private Optional<NewMessage> notice(MessageStore.SentMessage o, String status, Instant now) {
        if (o.senderParty().equals("system") || o.envelopeFrom().isEmpty()) {
            return Optional.empty(); // ARCHITECTURE: never a notice about a notice
        }
        if (o.senderParty().startsWith("seller:") && o.sellerId() != null
                && !directory.seller(o.sellerId()).bounceNotices()) {
            return Optional.empty();
        }
        Optional<Address> to = Address.parse(o.envelopeFrom());
        if (to.isEmpty()) {
            return Optional.empty();
        }
        Notices.Reason reason = Notices.reason(status);
        String token = tokens.token(24);
        byte[] bytes = signer.apply(notices.render(Notices.DELIVERY_FAILED, to.get(), "", Map.of("alias",
                o.envelopeTo(), "subject", o.subject() == null ? "" : o.subject(), "date", DATE.format(o.receivedAt()),
                "reason_de", reason.de(), "reason_en", reason.en()), now, token));
        String rcpt = to.get().toString();
        return Optional.of(new NewMessage(now, "notice", NewMessage.QUEUED, o.sellerId(), null, null, null, "", rcpt,
                rcpt, "notice: " + Notices.DELIVERY_FAILED, null, "<" + token + "@" + domain + ">", null, "system", false,
                bytes, bytes, verp.address(token), null, List.of()));
    }
}
