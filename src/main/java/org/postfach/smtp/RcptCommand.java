package org.postfach.smtp;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postfach.mail.Replies;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.Session;

/**
 * Replaces SubEtha's RCPT, whose syntax and limit replies carry no enhanced codes. The transaction's refusal
 * (relay gate, unknown alias, ...) passes through word for word; a refused RCPT leaves the transaction as it was.
 */
final class RcptCommand implements Verb {
    static final Pattern SYNTAX = Pattern.compile("RCPT TO: ?<([^<>\\s]*)>((?: +\\S+)*) *", Pattern.CASE_INSENSITIVE);
    private final int maxRecipients;

    RcptCommand(int maxRecipients) {
        this.maxRecipients = maxRecipients;
    }

    @Override
    public void run(String line, Dialogue d) throws IOException, DropConnectionException {
        Session sess = d.session();
        if (!sess.isMailTransactionInProgress()) {
            d.reply(Replies.MAIL_FIRST);
            return;
        }
        Matcher m = SYNTAX.matcher(line);
        if (!m.matches()) {
            d.reply(Replies.RCPT_SYNTAX);
            return;
        }
        String params = m.group(2).trim();
        if (!params.isEmpty()) {
            // no DSN or other RCPT extension is offered
            d.reply(MailCommand.unknown(params.split(" +")[0].split("=")[0]));
            return;
        }
        if (sess.getRecipientCount() >= maxRecipients) {
            d.reply(Replies.TOO_MANY_RECIPIENTS.withText(
                    String.format(Replies.TOO_MANY_RECIPIENTS.text(), maxRecipients)));
            return;
        }
        String recipient = m.group(1);
        try {
            sess.getMessageHandler().recipient(recipient);
        } catch (DropConnectionException e) {
            throw e;
        } catch (RejectException e) {
            d.reply(e.getErrorResponse());
            return;
        }
        sess.addRecipient(recipient);
        d.reply(Replies.RECIPIENT_OK);
    }
}
