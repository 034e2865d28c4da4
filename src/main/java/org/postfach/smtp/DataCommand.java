package org.postfach.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.postfach.mail.Replies;
import org.postfach.mail.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.internal.io.DotTerminatedInputStream;
import org.subethamail.smtp.internal.io.DotUnstuffingInputStream;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.Session;

/**
 * Replaces SubEtha's DATA. The whole message is read up to {@code <CR><LF>.<CR><LF>} before any answer, so
 * that the rest of a refused body can never be read as commands (SPEC §7); every reply ends the transaction,
 * so a refused message is followed by a normal next one. Only CRLF line endings are accepted: a bare CR or LF
 * or a NUL byte is refused once the data has been read, never re-interpreted. No Received header is added
 * (it would name the client's HELO and IP).
 */
final class DataCommand extends BaseCommand {
    private static final Logger LOG = LoggerFactory.getLogger(DataCommand.class);
    private static final SmtpReply BAD_LINE_ENDINGS = new SmtpReply(550, "5.6.0",
            "Message refused: bare CR or LF line endings or NUL bytes are not allowed (use CRLF)");
    private final long maxSize;

    DataCommand(long maxSize) {
        super("DATA", "Following text is collected as the message.\nEnd data with <CR><LF>.<CR><LF>");
        this.maxSize = maxSize;
    }

    @Override
    public void execute(String commandString, Session sess) throws IOException, DropConnectionException {
        if (!sess.isMailTransactionInProgress()) {
            sess.sendResponse("503 5.5.1 Error: need MAIL command");
            return;
        }
        if (sess.getRecipientCount() == 0) {
            sess.sendResponse("503 5.5.1 Error: need RCPT command");
            return;
        }
        sess.sendResponse("354 End data with <CR><LF>.<CR><LF>");
        InputStream in = new DotUnstuffingInputStream(new DotTerminatedInputStream(sess.getRawInput()));
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(8192);
        long total = 0;
        boolean badEndings = false;
        int prev = -1;
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) != -1) {
            for (int i = 0; i < n && !badEndings; i++) {
                int b = chunk[i] & 0xff;
                badEndings = b == 0 || (b == '\n' && prev != '\r') || (prev == '\r' && b != '\n');
                prev = b;
            }
            if (total + n <= maxSize) {
                buffer.write(chunk, 0, n);
            }
            total += n;
        }
        SmtpReply reply;
        if (total > maxSize) {
            reply = Replies.MESSAGE_TOO_BIG.withText(String.format(Replies.MESSAGE_TOO_BIG.text(), maxSize));
        } else if (badEndings || prev == '\r') {
            reply = BAD_LINE_ENDINGS;
        } else {
            reply = accept((SmtpTransaction) sess.getMessageHandler(), buffer.toByteArray());
        }
        sess.sendResponse(reply.toString());
        sess.resetMailTransaction();
    }

    /** The SMTP catch-all (ARCHITECTURE): anything unexpected is 451 with nothing stored. */
    private static SmtpReply accept(SmtpTransaction tx, byte[] raw) {
        try {
            return tx.message(raw);
        } catch (RuntimeException e) {
            LOG.error("message could not be stored; answered 451", e);
            return Replies.TEMPORARY_FAILURE;
        }
    }
}
