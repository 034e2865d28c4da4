package org.postfach.smtp;

import java.util.HashMap;
import java.util.Map;
import org.postfach.mail.Replies;
import org.subethamail.smtp.internal.command.AuthCommand;

/** The commands a Postfach listener knows; anything else is {@code 500 5.5.2}. */
final class VerbTable {
    private final Map<String, Verb> verbs = new HashMap<>();

    /** With {@code submission}: the submission port's table (AUTH offered, MAIL only after it). */
    VerbTable(long maxMessageSize, int maxRecipients, java.util.Optional<Submission> submission,
              java.nio.file.Path spoolDirectory) {
        verbs.put("HELO", VerbTable::helo);
        Verb mail = new MailCommand(maxMessageSize);
        verbs.put("MAIL", submission.isEmpty() ? mail : (line, d) -> {
            if (!d.session().isAuthenticated()) {
                d.reply(Replies.AUTH_REQUIRED); // SPEC §7: MAIL before AUTH is refused on the submission port
                return;
            }
            mail.run(line, d);
        });
        verbs.put("EHLO", new EhloCommand(submission));
        verbs.put("RCPT", new RcptCommand(maxRecipients));
        verbs.put("DATA", new DataCommand(maxMessageSize, spoolDirectory));
        verbs.put("BDAT", new BdatCommand());
        verbs.put("STARTTLS", new StartTlsCommand());
        verbs.put("RSET", (line, d) -> {
            d.session().resetMailTransaction();
            d.reply(Replies.RESET_OK);
        });
        verbs.put("NOOP", (line, d) -> d.reply(Replies.NOOP_OK));
        verbs.put("QUIT", (line, d) -> d.hangUp(Replies.BYE));
        verbs.put("VRFY", (line, d) -> d.reply(Replies.CANNOT_VRFY));
        verbs.put("EXPN", (line, d) -> d.reply(Replies.NOT_IMPLEMENTED));
        verbs.put("HELP", (line, d) -> d.reply(Replies.HELP));
        verbs.put("AUTH", submission.isPresent() ? new AuthVerb(submission.get()) : VerbTable::auth);
    }

    Map<String, Verb> verbs() {
        return Map.copyOf(verbs);
    }

    private static void helo(String line, Dialogue d) throws java.io.IOException {
        String host = Verb.argument(line);
        if (host.isEmpty() || host.contains(" ")) {
            d.reply(Replies.HELO_SYNTAX);
            return;
        }
        d.session().resetMailTransaction();
        d.session().setHelo(host);
        d.reply("250 " + d.session().getServer().getHostName()); // RFC 2034: no enhanced code on HELO
    }

    /** SubEtha's AUTH when the listener has a login (the submission port); otherwise not offered. */
    private static void auth(String line, Dialogue d) throws java.io.IOException {
        if (d.session().getServer().getAuthenticationHandlerFactory().isEmpty()) {
            d.reply(Replies.AUTH_NOT_AVAILABLE);
            return;
        }
        new AuthCommand().execute(line, d.session());
    }
}
