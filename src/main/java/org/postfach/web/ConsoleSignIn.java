package org.postfach.web;

import com.sun.net.httpserver.HttpExchange;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.postfach.directory.ConsoleAccess;
import org.postfach.directory.Seller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's sign-in (SPEC §10): by the single-use link the marketplace asks for (opening it shows a button;
 * only its {@code POST} spends the link, so link previews do not), by address and SMTP password, and sign-out.
 */
final class ConsoleSignIn {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSignIn.class);
    private final PebbleTemplate page = Pages.template("console-signin.peb");
    private final Console c;

    ConsoleSignIn(Console c) {
        this.c = c;
    }

    Pages.Page byLink(HttpExchange ex, Pages.Asked asked, String token) throws IOException {
        if (token.isEmpty() || token.length() > 64 || token.contains("/")) {
            return signInPage(404, asked.lang(), "invalid", null);
        }
        if (!asked.post()) {
            Optional<Seller> seller = c.access.linkSeller(token);
            return seller.isEmpty() ? signInPage(404, asked.lang(), "invalid", null)
                    : signInPage(200, asked.lang(), "confirm", seller.get().name());
        }
        Optional<ConsoleAccess.Session> session = c.access.signIn(token);
        if (session.isEmpty()) {
            return signInPage(404, asked.lang(), "invalid", null);
        }
        LOG.info("seller {} signed in to the console by link", session.get().sellerId());
        c.signedIn(ex, session.get());
        return Console.redirect(ex, Console.PATH + "/" + Console.lang(asked.lang(), '?'));
    }

    /**
     * SPEC §10: sign-in with address and password. The form is protected by a token in a cookie of its own and in
     * the form (a site elsewhere cannot sign a browser into an account of its choosing); failed sign-ins are limited
     * per address.
     */
    Pages.Page byPassword(HttpExchange ex, Pages.Asked asked) throws IOException {
        String lang = asked.lang();
        Map<String, String> t = Pages.texts("console", lang);
        if (!asked.post()) {
            String token = c.access.formToken();
            ex.getResponseHeaders().add("Set-Cookie", Console.FORM_COOKIE + "=" + token + "; Path=" + Console.PATH
                    + "/signin; HttpOnly; SameSite=Strict" + (c.secure ? "; Secure" : ""));
            return signInForm(200, lang, token, null, "1".equals(asked.query().get("out")) ? t.get("signedOut") : null,
                    "");
        }
        String expected = Console.cookie(ex, Console.FORM_COOKIE);
        if (expected == null || !Console.sameToken(expected, asked.form().get("form"))) {
            return Console.expired();
        }
        String address = asked.form().getOrDefault("address", "");
        ConsoleAccess.SignIn result = c.access.signIn(address, asked.form().get("password"));
        if (result.session().isEmpty()) {
            LOG.info("console sign-in failed{}", result.limited() ? " (held back: too many failures)" : "");
            return signInForm(result.limited() ? 429 : 401, lang, expected,
                    t.get(result.limited() ? "tooMany" : "wrongPassword"), null, address);
        }
        ConsoleAccess.Session session = result.session().get();
        LOG.info("seller {} signed in to the console with a password", session.sellerId());
        c.signedIn(ex, session);
        return Console.redirect(ex, Console.PATH + "/" + Console.lang(lang, '?'));
    }

    /** Sign-out: the session ends, its cookie is cleared. */
    Pages.Page signOut(HttpExchange ex, Pages.Asked asked, ConsoleAccess.Session session) {
        if (!Console.sameToken(session.csrf(), asked.form().get("csrf"))) {
            return Console.expired();
        }
        c.access.signOut(session.id());
        ex.getResponseHeaders().add("Set-Cookie", c.cookieValue("", 0));
        return Console.redirect(ex, Console.SIGN_IN + "?out=1");
    }

    private Pages.Page signInForm(int status, String lang, String token, String problem, String note, String address)
            throws IOException {
        Map<String, Object> model = new HashMap<>();
        model.put("lang", lang);
        model.put("t", Pages.texts("console", lang));
        model.put("state", "password");
        model.put("form", token);
        model.put("problem", problem);
        model.put("note", note);
        model.put("address", address);
        return Pages.render(page, status, model);
    }

    private Pages.Page signInPage(int status, String lang, String state, String sellerName) throws IOException {
        Map<String, Object> model = new HashMap<>();
        model.put("lang", lang);
        model.put("t", Pages.texts("console", lang));
        model.put("state", state);
        model.put("seller", sellerName);
        return Pages.render(page, status, model);
    }
}
