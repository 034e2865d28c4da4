package org.postfach.smtp;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postfach.mail.Replies;
import org.postfach.mail.SmtpReply;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.Session;

/**
 * Replaces SubEtha's MAIL, which answers syntax errors without enhanced codes, ignores unknown parameters and
 * overflows on a huge {@code SIZE=}. Sequence first (503), then syntax (501), then parameters (555, 552), then the
 * transaction's own check, whose refusal passes through word for word. Like SubEtha's, a refused MAIL leaves no
 * transaction open.
 */
final class MailCommand implements Verb {
    /** RFC 5321 {@code MAIL FROM:<reverse-path> [SP parameters]}; one space after the colon is tolerated. */
    static final Pattern SYNTAX = Pattern.compile("MAIL FROM: ?<([^<>\\s]*)>((?: +\\S+)*) *",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern KEYWORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");
    private final long maxSize;

    MailCommand(long maxSize) {
        this.maxSize = maxSize;
    }

    @Override
    public void run(String line, Dialogue d) throws IOException, DropConnectionException {
        Session sess = d.session();
        if (sess.getHelo().isEmpty()) {
            d.reply(Replies.HELO_FIRST);
            return;
        }
        if (sess.isMailTransactionInProgress()) {
            d.reply(Replies.NESTED_MAIL);
            return;
        }
        Matcher m = SYNTAX.matcher(line);
        if (!m.matches()) {
            d.reply(Replies.MAIL_SYNTAX);
            return;
        }
        long size = 0;
        for (String param : m.group(2).trim().split(" +")) {
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            String keyword = (eq < 0 ? param : param.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? null : param.substring(eq + 1);
            if (!KEYWORD.matcher(keyword).matches()) {
                d.reply(Replies.MAIL_SYNTAX);
                return;
            }
            SmtpReply refusal = null;
            switch (keyword) {
                case "SIZE" -> {
                    if (value == null || !value.matches("[0-9]+")) {
                        refusal = Replies.SIZE_SYNTAX;
                    } else if (value.replaceFirst("^0+(?=.)", "").length() > 18 || Long.parseLong(value) > maxSize) {
                        // more than 18 digits cannot fit a long, and is far over any limit
                        refusal = Replies.MESSAGE_TOO_BIG.withText(String.format(Replies.MESSAGE_TOO_BIG.text(), maxSize));
                    } else {
                        size = Long.parseLong(value);
                    }
                }
                case "BODY" -> {
                    if (value == null || !(value.equalsIgnoreCase("7BIT") || value.equalsIgnoreCase("8BITMIME"))) {
                        refusal = unknown("BODY" + (value == null ? "" : "=" + value));
                    }
                }
                case "SMTPUTF8" -> {
                    if (value != null) {
                        refusal = unknown("SMTPUTF8=");
                    }
                }
                default -> refusal = unknown(keyword);
            }
            if (refusal != null) {
                d.reply(refusal);
                return;
            }
        }
        sess.setDeclaredMessageSize((int) Math.min(Integer.MAX_VALUE, size));
        sess.startMailTransaction();
        try {
            sess.getMessageHandler().from(m.group(1));
        } catch (DropConnectionException e) {
            sess.resetMailTransaction();
            throw e;
        } catch (RejectException e) {
            sess.resetMailTransaction();
            d.reply(e.getErrorResponse());
            return;
        }
        d.reply(Replies.SENDER_OK);
    }

    /** 555 naming the parameter; only a keyword-shaped, shortened text is echoed. */
    static SmtpReply unknown(String param) {
        String shown = param.replaceAll("[^A-Za-z0-9=.-]", "?");
        if (shown.length() > 40) {
            shown = shown.substring(0, 40) + "...";
        }
        return Replies.UNKNOWN_PARAMETER.withText(String.format(Replies.UNKNOWN_PARAMETER.text(), shown));
    }
}
