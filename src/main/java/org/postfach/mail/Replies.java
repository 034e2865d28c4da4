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
    /** SPEC §7: no SPF or DKIM aligned with the From: domain; %s is that domain. */
    public static final SmtpReply SENDER_NOT_VERIFIED = new SmtpReply(550, "5.7.1",
            "Sender not verified: neither SPF nor DKIM passed for %s");
    /** SPEC §7: DNS did not answer, so the sender could not be verified; never a refusal. */
    public static final SmtpReply SENDER_NOT_VERIFIABLE = new SmtpReply(451, "4.7.0",
            "Cannot verify the sender right now (DNS did not answer): please try again later");
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
    /** RFC 3463 4.3.1: the spool could not take the message (disk full); the client tries again later. */
    public static final SmtpReply NO_SPOOL_SPACE = new SmtpReply(452, "4.3.1",
            "Insufficient system storage for this message now, please try again later");
    public static final SmtpReply TEMPORARY_FAILURE = new SmtpReply(451, "4.3.0",
            "Temporary local problem, nothing was stored: please try again later");
    public static final SmtpReply MESSAGE_TOO_BIG = new SmtpReply(552, "5.3.4",
            "Message too big: the limit is %d bytes");

    // The SMTP dialogue (smtp package). The greeting and the EHLO/HELO answers carry no enhanced code
    // (RFC 2034 section 3); every other reply does.
    public static final SmtpReply SENDER_OK = new SmtpReply(250, "2.1.0", "Sender ok");
    public static final SmtpReply RESET_OK = new SmtpReply(250, "2.0.0", "Reset, no transaction in progress");
    public static final SmtpReply NOOP_OK = new SmtpReply(250, "2.0.0", "Ok");
    public static final SmtpReply BYE = new SmtpReply(221, "2.0.0", "Bye");
    public static final SmtpReply HELP = new SmtpReply(214, "2.0.0",
            "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP STARTTLS");
    /** RFC 5321 section 3.5.3: VRFY is answered without telling whether the address exists. */
    public static final SmtpReply CANNOT_VRFY = new SmtpReply(252, "2.5.0",
            "Cannot verify addresses here; send the message and RCPT will tell");
    public static final SmtpReply START_TLS = new SmtpReply(220, "2.0.0", "Ready to start TLS");
    /** 354 is an intermediate reply: RFC 3463 codes exist only for 2xx, 4xx and 5xx. */
    public static final String START_DATA = "354 End data with <CR><LF>.<CR><LF>";

    public static final SmtpReply BAD_DATA_LINE_ENDINGS = new SmtpReply(550, "5.6.0",
            "Message refused: bare CR or LF line endings or NUL bytes are not allowed (use CRLF)");

    public static final SmtpReply UNKNOWN_COMMAND = new SmtpReply(500, "5.5.2", "Command not recognized");
    /** Text format: the limit in bytes, CRLF included. */
    public static final SmtpReply LINE_TOO_LONG = new SmtpReply(500, "5.5.2",
            "Line too long: a command line may have at most %d bytes");
    public static final SmtpReply BARE_LINE_END = new SmtpReply(500, "5.5.2",
            "Command lines must end with CRLF");
    public static final SmtpReply NOT_IMPLEMENTED = new SmtpReply(502, "5.5.1", "Command not implemented here");
    public static final SmtpReply BDAT_NOT_SUPPORTED = new SmtpReply(502, "5.5.1",
            "BDAT is not supported here, use DATA; closing connection");
    public static final SmtpReply TLS_NOT_AVAILABLE = new SmtpReply(502, "5.5.1",
            "STARTTLS is not offered here");
    public static final SmtpReply AUTH_NOT_AVAILABLE = new SmtpReply(502, "5.5.1",
            "AUTH is not offered on this port");
    public static final SmtpReply HELO_FIRST = new SmtpReply(503, "5.5.1", "Send EHLO or HELO first");
    public static final SmtpReply NESTED_MAIL = new SmtpReply(503, "5.5.1",
            "Sender already given: send RSET to start over");
    public static final SmtpReply MAIL_FIRST = new SmtpReply(503, "5.5.1", "Send MAIL first");
    public static final SmtpReply RCPT_FIRST = new SmtpReply(503, "5.5.1", "Send RCPT first");
    public static final SmtpReply TLS_ALREADY_ACTIVE = new SmtpReply(503, "5.5.1", "TLS is already active");
    public static final SmtpReply EHLO_SYNTAX = new SmtpReply(501, "5.5.4", "Syntax: EHLO hostname");
    public static final SmtpReply HELO_SYNTAX = new SmtpReply(501, "5.5.4", "Syntax: HELO hostname");
    public static final SmtpReply MAIL_SYNTAX = new SmtpReply(501, "5.5.4",
            "Syntax: MAIL FROM:<address> [parameters]");
    public static final SmtpReply RCPT_SYNTAX = new SmtpReply(501, "5.5.4", "Syntax: RCPT TO:<address>");
    public static final SmtpReply SIZE_SYNTAX = new SmtpReply(501, "5.5.4",
            "Syntax: SIZE=n with n the message size in bytes");
    public static final SmtpReply NO_PARAMETERS = new SmtpReply(501, "5.5.4", "Syntax: this command takes no parameters");
    /** Text format: the parameter keyword. */
    public static final SmtpReply UNKNOWN_PARAMETER = new SmtpReply(555, "5.5.4", "Parameter not supported: %s");
    /** Text format: the limit. */
    public static final SmtpReply TOO_MANY_RECIPIENTS = new SmtpReply(452, "4.5.3",
            "Too many recipients: at most %d per message");

    public static final SmtpReply TOO_MANY_CONNECTIONS = new SmtpReply(421, "4.7.0",
            "Too many connections, try again later");
    public static final SmtpReply TOO_MANY_CONNECTIONS_FROM_YOU = new SmtpReply(421, "4.7.0",
            "Too many connections from your address, try again later");
    public static final SmtpReply TOO_MANY_ERRORS = new SmtpReply(421, "4.7.0", "Too many errors, closing connection");
    public static final SmtpReply IDLE_TIMEOUT = new SmtpReply(421, "4.4.2",
            "Idle timeout: nothing received for too long, closing connection");
    public static final SmtpReply SHUTTING_DOWN = new SmtpReply(421, "4.3.2",
            "Service shutting down, try again later");
    public static final SmtpReply SESSION_TIMEOUT = new SmtpReply(421, "4.4.2",
            "Session time limit reached, closing connection");

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

    // SPEC §7: the submission port (RFC 4954).
    public static final SmtpReply AUTH_OK = new SmtpReply(235, "2.7.0", "Authentication successful");
    public static final SmtpReply AUTH_FAILED = new SmtpReply(535, "5.7.8", "Authentication credentials invalid");
    public static final SmtpReply TOO_MANY_LOGINS = new SmtpReply(421, "4.7.0",
            "Too many failed logins from your address, try again later");
    public static final SmtpReply TLS_REQUIRED_FOR_AUTH = new SmtpReply(530, "5.7.0",
            "Must issue a STARTTLS command first");
    public static final SmtpReply AUTH_REQUIRED = new SmtpReply(530, "5.7.0",
            "Authentication required: sign in with AUTH first");
    public static final SmtpReply AUTH_SEQUENCE = new SmtpReply(503, "5.5.1",
            "AUTH is not allowed now (already signed in, or inside a mail transaction)");
    public static final SmtpReply AUTH_SYNTAX = new SmtpReply(501, "5.5.2", "Cannot decode the AUTH response");
    public static final SmtpReply AUTH_MECHANISM = new SmtpReply(504, "5.5.4",
            "Unrecognized authentication mechanism: use PLAIN or LOGIN");
    public static final SmtpReply NOT_YOUR_ADDRESS = new SmtpReply(550, "5.7.1",
            "Sender not authorized: this address does not belong to the signed-in seller");
}
