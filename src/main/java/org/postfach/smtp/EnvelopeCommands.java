package org.postfach.smtp;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postfach.mail.Replies;
import org.postfach.mail.SmtpReply;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.Session;

/**
 * Our MAIL and RCPT, replacing SubEtha's: every reply carries an enhanced status code (RFC 3463), {@code SIZE=}
 * is read as a number of any length (SubEtha's {@code parseInt} overflowed into a dropped session) and checked
 * against the limit, and parameters we do not offer are refused instead of ignored.
 */
final class EnvelopeCommands {
    /** {@code FROM:<address>} or {@code TO:<address>}, optional space after the colon, then parameters. */
    private static final Pattern PATH = Pattern.compile("(?i)(FROM|TO):\\s?<([^<>]*)>((?:\\s+\\S+)*)\\s*");

    private EnvelopeCommands() {
    }

    static void send(Session sess, SmtpReply reply) throws IOException {
        sess.sendResponse(reply.toString());
    }

    static final class Mail extends BaseCommand {
        Mail() {
            super("MAIL", "Specifies the sender.", "FROM:<sender> [SIZE=n] [BODY=8BITMIME] [SMTPUTF8]");
        }

        @Override
        public void execute(String commandString, Session sess) throws IOException, DropConnectionException {
            if (sess.isMailTransactionInProgress()) {
                send(sess, Replies.NESTED_MAIL);
                return;
            }
            Matcher m = PATH.matcher(getArgPredicate(commandString));
            if (!m.matches() || !m.group(1).equalsIgnoreCase("FROM")) {
                send(sess, Replies.MAIL_SYNTAX);
                return;
            }
            long size = 0;
            for (String param : m.group(3).trim().split("\\s+")) {
                if (param.isEmpty()) {
                    continue;
                }
                String p = param.toUpperCase(Locale.ROOT);
                if (p.startsWith("SIZE=")) {
                    String digits = p.substring(5);
                    if (!digits.matches("[0-9]{1,30}")) {
                        send(sess, Replies.MAIL_SYNTAX);
                        return;
                    }
                    size = digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
                } else if (!p.equals("BODY=8BITMIME") && !p.equals("BODY=7BIT") && !p.equals("SMTPUTF8")) {
                    send(sess, Replies.UNKNOWN_PARAMETER);
                    return;
                }
            }
            int max = sess.getServer().getMaxMessageSize();
            if (max > 0 && size > max) {
                send(sess, Replies.MESSAGE_TOO_BIG.withText(String.format(Replies.MESSAGE_TOO_BIG.text(), max)));
                return;
            }
            sess.setDeclaredMessageSize((int) Math.min(size, Integer.MAX_VALUE));
            sess.startMailTransaction();
            try {
                sess.getMessageHandler().from(m.group(2).trim());
            } catch (DropConnectionException e) {
                sess.resetMailTransaction();
                throw e;
            } catch (RejectException e) {
                sess.resetMailTransaction();
                sess.sendResponse(e.getErrorResponse());
                return;
            }
            send(sess, Replies.SENDER_OK);
        }
    }

    static final class Rcpt extends BaseCommand {
        Rcpt() {
            super("RCPT", "Specifies a recipient.", "TO:<recipient>");
        }

        @Override
        public void execute(String commandString, Session sess) throws IOException, DropConnectionException {
            if (!sess.isMailTransactionInProgress()) {
                send(sess, Replies.NEED_MAIL);
                return;
            }
            int max = sess.getServer().getMaxRecipients();
            if (max >= 0 && sess.getRecipientCount() >= max) {
                send(sess, Replies.TOO_MANY_RECIPIENTS);
                return;
            }
            Matcher m = PATH.matcher(getArgPredicate(commandString));
            if (!m.matches() || !m.group(1).equalsIgnoreCase("TO")) {
                send(sess, Replies.RCPT_SYNTAX);
                return;
            }
            if (!m.group(3).isBlank()) {
                send(sess, Replies.UNKNOWN_PARAMETER); // NOTIFY/ORCPT (DSN) are not offered
                return;
            }
            String recipient = m.group(2).trim();
            try {
                sess.getMessageHandler().recipient(recipient);
            } catch (RejectException e) {
                sess.sendResponse(e.getErrorResponse());
                return;
            }
            sess.addRecipient(recipient);
            send(sess, Replies.RECIPIENT_OK);
        }
    }
}
