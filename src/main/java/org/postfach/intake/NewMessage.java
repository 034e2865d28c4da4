package org.postfach.intake;

import java.time.Instant;
import java.util.List;
import org.postfach.policy.PolicyEvent;

/**
 * One accepted message for one recipient, ready to be stored: the archive row, both raw forms and, unless it
 * is blocked, the queue entry ({@code bounceAddress} becomes the envelope sender, {@code deliveredTo} the
 * recipient). A blocked message has no delivered form and names the rule that blocked it; {@code events} are
 * the policy events recorded on it; {@code text} is the start of the body text, kept for keyword search;
 * {@code attachments}: how many the attachment scan found (SPEC §10's paperclip).
 */
public record NewMessage(Instant receivedAt, String route, String status, String sellerId, String buyerId,
                         String buyerAlias, String orderId, String envelopeFrom, String envelopeTo,
                         String deliveredTo, String subject, String text, String relayMessageId, String originalMessageId,
                         String senderParty, boolean responseRequired, byte[] original, byte[] delivered,
                         String bounceAddress, String blockedRule, List<PolicyEvent> events, int attachments) {
    public static final String QUEUED = "QUEUED";
    public static final String BLOCKED = "BLOCKED";

    /** A message without attachments counted (notices, reports). */
    public NewMessage(Instant receivedAt, String route, String status, String sellerId, String buyerId,
                      String buyerAlias, String orderId, String envelopeFrom, String envelopeTo,
                      String deliveredTo, String subject, String text, String relayMessageId, String originalMessageId,
                      String senderParty, boolean responseRequired, byte[] original, byte[] delivered,
                      String bounceAddress, String blockedRule, List<PolicyEvent> events) {
        this(receivedAt, route, status, sellerId, buyerId, buyerAlias, orderId, envelopeFrom, envelopeTo, deliveredTo,
                subject, text, relayMessageId, originalMessageId, senderParty, responseRequired, original, delivered,
                bounceAddress, blockedRule, events, 0);
    }
}
