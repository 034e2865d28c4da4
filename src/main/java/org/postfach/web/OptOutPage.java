package org.postfach.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.postfach.api.ApiException;
import org.postfach.api.HttpApi;
import org.postfach.directory.Directory;
import org.postfach.directory.DirectoryException;
import org.postfach.directory.Seller;
import org.postfach.links.Links;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SPEC §10, the buyer's opt-out of one seller in one click: {@code {web.publicUrl}/unsubscribe/<token>}, the link of
 * every seller message's {@code List-Unsubscribe}. Opening it ({@code GET}) changes nothing and shows the choice with
 * one button, so that mail scanners that follow links opt nobody out; a {@code POST} acts: the mailbox provider's
 * RFC 8058 one-click {@code List-Unsubscribe=One-Click}, or the page's button. The page then offers to undo it. No
 * sign-in: the signed token names the buyer and the seller. The page shows the seller's name and nothing of the
 * buyer; English or German ({@code Accept-Language}, or the switch).
 */
public final class OptOutPage implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(OptOutPage.class);
    private static final int MAX_FORM = 8 * 1024;
    /** The page's texts by language, from {@code web/texts*.properties} (UTF-8). */
    private static final Map<String, Map<String, String>> TEXTS = Map.of("en", texts(Locale.ROOT),
            "de", texts(Locale.GERMAN));

    private final Links links;
    private final Directory directory;
    private final Clock clock;
    private final PebbleTemplate template;

    public OptOutPage(Links links, Directory directory, Clock clock) {
        this.links = links;
        this.directory = directory;
        this.clock = clock;
        ClasspathLoader loader = new ClasspathLoader();
        loader.setPrefix("web/templates");
        this.template = new PebbleEngine.Builder().loader(loader).autoEscaping(true).build()
                .getTemplate("opt-out.peb");
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Page page;
            try {
                page = answer(ex);
            } catch (RuntimeException e) {
                LOG.error("opt-out page {} failed", ex.getRequestMethod(), e); // the token is not logged
                page = new Page(500, "text/plain; charset=utf-8",
                        "The service is not available at the moment. Please try again later.");
            }
            send(ex, page);
        }
    }

    private record Page(int status, String contentType, String body) {
    }

    private Page answer(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("POST")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD, POST");
            return new Page(405, "text/plain; charset=utf-8", "Method not allowed.");
        }
        Map<String, String> form;
        Map<String, String> query;
        try {
            form = method.equals("POST") ? form(ex) : Map.of();
            query = HttpApi.urlEncoded(ex.getRequestURI().getRawQuery());
        } catch (IOException | ApiException e) { // broken chunking or percent-encoding, a body cut short
            return new Page(400, "text/plain; charset=utf-8", "The request could not be read.");
        }
        String lang = language(query.getOrDefault("lang", form.get("lang")),
                ex.getRequestHeaders().getFirst("Accept-Language"));
        String path = ex.getRequestURI().getRawPath();
        String token = path.startsWith(Links.OPT_OUT_PATH) ? path.substring(Links.OPT_OUT_PATH.length()) : "";
        Optional<Links.Link> link = links.read(token, clock.instant())
                .filter(l -> l.action() == Links.Action.OPT_OUT);
        Optional<Seller> seller = link.flatMap(this::seller);
        if (seller.isEmpty()) {
            return render(404, lang, "invalid", null, null);
        }
        String buyerId = link.get().subject();
        String sellerId = seller.get().id();
        String done = null;
        if (method.equals("POST")) {
            // RFC 8058: the one-click POST carries List-Unsubscribe=One-Click; the page's own buttons say which
            boolean undo = "undo".equals(form.get("action"));
            directory.setOptedOut(buyerId, sellerId, !undo);
            LOG.info("buyer {} {} seller {} by link", buyerId, undo ? "opted in to" : "opted out of", sellerId);
            done = TEXTS.get(lang).get(undo ? "doneIn" : "doneOut");
        }
        boolean out = directory.optedOut(buyerId, sellerId);
        return render(200, lang, out ? "out" : "in", seller.get().name(), done);
    }

    private Optional<Seller> seller(Links.Link link) {
        try {
            directory.buyer(link.subject());
            return Optional.of(directory.seller(link.party()));
        } catch (DirectoryException e) {
            return Optional.empty(); // signed by us, but the buyer or the seller is gone
        }
    }

    private Page render(int status, String lang, String state, String sellerName, String done) throws IOException {
        Map<String, Object> model = new HashMap<>();
        model.put("lang", lang);
        model.put("t", TEXTS.get(lang));
        model.put("state", state);
        model.put("seller", sellerName);
        model.put("done", done);
        StringWriter out = new StringWriter();
        template.evaluate(out, model);
        return new Page(status, "text/html; charset=utf-8", out.toString());
    }

    private static Map<String, String> texts(Locale locale) {
        java.util.ResourceBundle bundle = java.util.ResourceBundle.getBundle("web.texts", locale,
                java.util.ResourceBundle.Control.getNoFallbackControl(java.util.ResourceBundle.Control.FORMAT_PROPERTIES));
        Map<String, String> texts = new HashMap<>();
        for (String key : bundle.keySet()) {
            texts.put(key.startsWith("optOut.") ? key.substring("optOut.".length()) : key, bundle.getString(key));
        }
        return Map.copyOf(texts);
    }

    /** {@code lang} when it names one of ours, else the first of ours the browser accepts, else English. */
    static String language(String chosen, String acceptLanguage) {
        if (chosen != null && TEXTS.containsKey(chosen)) {
            return chosen;
        }
        if (acceptLanguage != null) {
            try {
                List<Locale.LanguageRange> ranges = Locale.LanguageRange.parse(acceptLanguage);
                String best = Locale.lookupTag(ranges, List.of("en", "de"));
                if (best != null) {
                    return best;
                }
            } catch (IllegalArgumentException e) {
                // a malformed header: the default
            }
        }
        return "en";
    }

    /** The urlencoded form of a POST; anything else (a multipart one-click body) reads as no fields. */
    private static Map<String, String> form(HttpExchange ex) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        // Not closed here: closing reads the rest of the body first, which for broken chunking waits on the client;
        // the exchange closes it after the answer is sent. A longer body is no form of ours: its start is read.
        byte[] body = ex.getRequestBody().readNBytes(MAX_FORM);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return Map.of();
        }
        return HttpApi.urlEncoded(new String(body, StandardCharsets.ISO_8859_1));
    }

    private static void send(HttpExchange ex, Page page) throws IOException {
        byte[] bytes = page.body().getBytes(StandardCharsets.UTF_8);
        var h = ex.getResponseHeaders();
        h.set("Content-Type", page.contentType());
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer"); // the token is in the address
        h.set("X-Frame-Options", "DENY");
        h.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self';"
                + " frame-ancestors 'none'; base-uri 'none'");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(page.status(), head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
