package org.postfach.mail;

/**
 * Every SMTP reply Postfach gives, in one place so that wording is reviewed together (ARCHITECTURE).
 * Codes follow RFC 5321, enhanced codes RFC 3463.
 */
public final class Replies {
    private Replies() {
    }

    public static final SmtpReply OK = new SmtpReply(250, "2.0.0", "Message accepted for delivery");
    public static final SmtpReply RECIPIENT_OK = new SmtpReply(250, "2.1.5", "Recipient ok");
    public static final SmtpReply SENDER_OK = new SmtpReply(250, "2.1.0", "Sender ok");

    // RFC 5321 command sequence and syntax
    public static final SmtpReply NESTED_MAIL = new SmtpReply(503, "5.5.1", "Sender already specified");
    public static final SmtpReply NEED_MAIL = new SmtpReply(503, "5.5.1", "Need MAIL command first");
    public static final SmtpReply MAIL_SYNTAX = new SmtpReply(501, "5.5.4",
            "Syntax: MAIL FROM:<address> [SIZE=n] [BODY=8BITMIME] [SMTPUTF8]");
    public static final SmtpReply RCPT_SYNTAX = new SmtpReply(501, "5.5.4", "Syntax: RCPT TO:<address>");
    public static final SmtpReply UNKNOWN_PARAMETER = new SmtpReply(555, "5.5.4",
            "Parameter not recognized or not implemented");
    public static final SmtpReply TOO_MANY_RECIPIENTS = new SmtpReply(452, "4.5.3",
            "Too many recipients: send the rest in another message");

    public static final SmtpReply RELAY_DENIED = new SmtpReply(550, "5.7.1",
            "Relaying denied: this server accepts mail only for its own alias addresses");
    /** SPEC §2: unknown, disabled and foreign aliases get this same answer, word for word. */
    public static final SmtpReply NO_SUCH_RECIPIENT = new SmtpReply(550, "5.1.1",
            "No such recipient here: check the address you are writing to");
    public static final SmtpReply SENDER_NOT_AUTHORIZED = new SmtpReply(550, "5.7.1",
            "Sender not authorized: this address is not registered to write to this recipient");
    public static final SmtpReply FROM_NOT_AUTHORIZED = new SmtpReply(550, "5.7.1",
            "Sender not authorized: the From: address is not registered to write to this recipient");
    public static final SmtpReply SELLER_TO_SELLER = new SmtpReply(550, "5.7.1",
            "Sellers may not contact other sellers through the marketplace");
    public static final SmtpReply NULL_SENDER_REFUSED = new SmtpReply(550, "5.7.1",
            "Mail with an empty sender is accepted only for bounce addresses");
    public static final SmtpReply BAD_SENDER_SYNTAX = new SmtpReply(553, "5.1.7",
            "The sender address is not a valid e-mail address");
    public static final SmtpReply BAD_RECIPIENT_SYNTAX = new SmtpReply(553, "5.1.3",
            "The recipient address is not a valid e-mail address");
    public static final SmtpReply MIXED_ROUTES = new SmtpReply(452, "4.5.3",
            "Please send this recipient in a separate message");
    public static final SmtpReply MALFORMED_MESSAGE = new SmtpReply(550, "5.6.0",
            "The message could not be read: its headers are malformed");
    public static final SmtpReply MISSING_FROM = new SmtpReply(550, "5.6.0",
            "The message has no valid From: header");
    public static final SmtpReply TEMPORARY_FAILURE = new SmtpReply(451, "4.3.0",
            "Temporary local problem, nothing was stored: please try again later");
    public static final SmtpReply MESSAGE_TOO_BIG = new SmtpReply(552, "5.3.4",
            "Message too big: the limit is %d bytes");

    // SPEC §4: the policy filter.
    public static final SmtpReply ATTACHMENT_REFUSED = new SmtpReply(550, "5.7.1",
            "Attachment not allowed: %s. Allowed are txt, pdf, doc, docx, jpg, jpeg, gif, tif, tiff, bmp and png files");

    /** SPEC §4: over the seller's daily limit; temporary, the next UTC day has room again. */
    public static SmtpReply dailyLimit(int limit) {
        return new SmtpReply(450, "4.7.1", "Daily message limit reached: this seller may send " + limit
                + " messages per day (UTC); please try again tomorrow");
    }

    public static SmtpReply attachmentRefused(String problem) {
        return ATTACHMENT_REFUSED.withText(String.format(ATTACHMENT_REFUSED.text(), problem));
    }
}
