package org.postfach.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.postfach.archive.Archive;
import org.postfach.directory.ConsoleAccess;
import org.postfach.directory.Directory;
import org.postfach.intake.Intake;

/**
 * The seller console (SPEC §10) on the API's server, {@code /console/...}: this class routes, the pages are
 * {@link ConsoleSignIn} (by link or password, sign-out), {@link ConsoleInbox} (views, search, write to),
 * {@link ConsoleConversation} (messages, actions, downloads, replies through intake) and {@link ConsoleSettings}.
 * The session cookie is {@code HttpOnly}, {@code SameSite=Lax}, {@code Secure} when {@code web.publicUrl} is https;
 * every form carries the session's CSRF token; a seller sees only its own messages, as it got them.
 */
public final class ConsolePages implements HttpHandler {
    public static final String PATH = Console.PATH;
    /** The largest reply with its attachments ({@code smtp.maxMessageSize}, as by SMTP). */
    private final long maxUpload;
    private final ConsoleAccess access;
    private final ConsoleSignIn signIn;
    private final ConsoleInbox inbox;
    private final ConsoleConversation conversation;
    private final ConsoleSettings settings;

    /**
     * {@code subjectAsDelivered}: the subject as the seller got it (SPEC §4, contact details removed); {@code intake}:
     * where a reply written here goes, the same path as mail sent by SMTP.
     */
    public ConsolePages(ConsoleAccess access, Directory directory, Archive archive, Intake intake,
                        UnaryOperator<String> subjectAsDelivered, Clock clock, URI publicUrl, long maxUpload) {
        Console c = new Console(access, directory, archive, intake, subjectAsDelivered, clock,
                "https".equalsIgnoreCase(publicUrl.getScheme()));
        this.access = access;
        this.maxUpload = maxUpload;
        this.signIn = new ConsoleSignIn(c);
        this.inbox = new ConsoleInbox(c);
        this.conversation = new ConsoleConversation(c);
        this.settings = new ConsoleSettings(c);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        // looked up once per request; files are read only for a signed-in seller's conversation, so that nobody
        // else makes the server hold megabytes
        Optional<ConsoleAccess.Session> session = path.startsWith(ConsoleAccess.SIGN_IN_PATH) ? Optional.empty()
                : access.session(Console.cookie(ex, Console.COOKIE));
        long upload = path.startsWith(Console.CONVERSATION) && session.isPresent() ? maxUpload : 0;
        Pages.serve(ex, "console", upload, asked -> answer(ex, asked, path, session));
    }

    private Pages.Page answer(HttpExchange ex, Pages.Asked asked, String path, Optional<ConsoleAccess.Session> session)
            throws IOException {
        if (path.startsWith(ConsoleAccess.SIGN_IN_PATH)) {
            return signIn.byLink(ex, asked, path.substring(ConsoleAccess.SIGN_IN_PATH.length()));
        }
        if (path.equals(Console.SIGN_IN)) {
            return signIn.byPassword(ex, asked);
        }
        boolean known = path.equals(Console.PATH) || path.equals(Console.PATH + "/") || path.equals(Console.SETTINGS)
                || path.equals(Console.PATH + "/write") || path.startsWith(Console.CONVERSATION)
                || (path.equals(Console.PATH + "/signout") && asked.post());
        if (!known) {
            return Pages.Page.plain(404, "Not found.");
        }
        if (session.isEmpty()) {
            return Console.redirect(ex, Console.SIGN_IN);
        }
        ConsoleAccess.Session s = session.get();
        if (path.equals(Console.PATH + "/signout")) {
            return signIn.signOut(ex, asked, s);
        }
        if (path.equals(Console.PATH + "/write")) {
            return inbox.write(ex, asked, s);
        }
        if (path.equals(Console.SETTINGS)) {
            return settings.settings(ex, asked, s);
        }
        String rest = path.startsWith(Console.CONVERSATION) ? path.substring(Console.CONVERSATION.length()) : null;
        if (rest != null && rest.contains("/a/")) {
            return conversation.download(ex, s, rest);
        }
        if (rest != null) {
            return conversation.conversation(ex, asked, s, rest);
        }
        return inbox.inbox(asked, s);
    }
}
