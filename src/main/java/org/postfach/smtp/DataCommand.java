package org.postfach.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.postfach.mail.Replies;
import org.postfach.mail.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.internal.io.DotTerminatedInputStream;
import org.subethamail.smtp.internal.io.DotUnstuffingInputStream;
import org.subethamail.smtp.server.Session;

/**
 * Replaces SubEtha's DATA. The whole message is read up to {@code <CR><LF>.<CR><LF>} before any answer, so
 * that the rest of a refused body can never be read as commands (SPEC §7); every reply ends the transaction,
 * so a refused message is followed by a normal next one. Only CRLF line endings are accepted: a bare CR or LF
 * or a NUL byte is refused once the data has been read, never re-interpreted. No Received header is added
 * (it would name the client's HELO and IP).
 */
final class DataCommand implements Verb {
    private static final Logger LOG = LoggerFactory.getLogger(DataCommand.class);
    private final long maxSize;

    DataCommand(long maxSize) {
        this.maxSize = maxSize;
    }

    @Override
    public void run(String line, Dialogue d) throws IOException {
        Session sess = d.session();
        if (!Verb.argument(line).isEmpty()) {
            d.reply(Replies.NO_PARAMETERS);
            return;
        }
        if (!sess.isMailTransactionInProgress()) {
            d.reply(Replies.MAIL_FIRST);
            return;
        }
        if (sess.getRecipientCount() == 0) {
            d.reply(Replies.RCPT_FIRST);
            return;
        }
        d.reply(Replies.START_DATA);
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
            reply = Replies.BAD_DATA_LINE_ENDINGS;
        } else {
            reply = accept((SmtpTransaction) sess.getMessageHandler(), buffer.toByteArray());
        }
        sess.resetMailTransaction();
        d.reply(reply);
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
