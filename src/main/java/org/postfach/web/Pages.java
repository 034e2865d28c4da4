package org.postfach.web;

import com.sun.net.httpserver.HttpExchange;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import org.postfach.api.ApiException;
import org.postfach.api.HttpApi;

/**
 * What the web front's pages share: templates (Pebble, every value escaped), texts in English and German from
 * {@code web/texts*.properties}, the language a request asks for, form fields, and the answer with the headers every
 * page carries (no caching, no referrer: links carry tokens; no framing; a content policy without scripts).
 */
final class Pages {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Pages.class);
    static final List<String> LANGUAGES = List.of("en", "de");
    private static final int MAX_FORM = 8 * 1024;
    private static final PebbleEngine ENGINE = engine();
    private static final java.util.concurrent.ConcurrentHashMap<String, Map<String, String>> TEXTS =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final Map<String, ResourceBundle> BUNDLES = Map.of("en", bundle(Locale.ROOT),
            "de", bundle(Locale.GERMAN));

    private Pages() {
    }

    /** An answer: status, content type and text. */
    record Page(int status, String contentType, byte[] body) {
        Page(int status, String contentType, String text) {
            this(status, contentType, text.getBytes(StandardCharsets.UTF_8));
        }

        static Page plain(int status, String text) {
            return new Page(status, "text/plain; charset=utf-8", text);
        }
    }

    /** What a page was asked, read before it decides anything: the form of a POST, the query and the language. */
    record Asked(String method, Map<String, String> form, Map<String, String> query, String lang,
                 List<Upload> uploads) {
        Asked(String method, Map<String, String> form, Map<String, String> query, String lang) {
            this(method, form, query, lang, List.of());
        }

        boolean post() {
            return method.equals("POST");
        }
    }

    /** A file sent with a {@code multipart/form-data} form: its field, name, declared type and bytes. */
    record Upload(String field, String fileName, String contentType, byte[] content) {
    }

    /** What a page answers to what it was asked. */
    @FunctionalInterface
    interface Answer {
        Page answer(Asked asked) throws IOException;
    }

    /**
     * Answers one request: 405 or 400 when it cannot be asked, else the page's answer; a failure of ours is logged
     * (not the address: links carry tokens) and answered 500 with a sentence, never a stack trace.
     */
    static void serve(HttpExchange ex, String page, Answer answer) throws IOException {
        serve(ex, page, 0, answer);
    }

    /** As above; {@code maxUpload}: the largest {@code multipart/form-data} body read (0: none, its files ignored). */
    static void serve(HttpExchange ex, String page, long maxUpload, Answer answer) throws IOException {
        try (ex) {
            Asked asked = ask(ex, maxUpload);
            if (asked == null) {
                return;
            }
            Page out;
            try {
                out = answer.answer(asked);
            } catch (RuntimeException e) {
                LOG.error("{} page {} failed", page, ex.getRequestMethod(), e);
                out = Page.plain(500, "The service is not available at the moment. Please try again later.");
            }
            send(ex, out);
        }
    }

    private static PebbleEngine engine() {
        ClasspathLoader loader = new ClasspathLoader();
        loader.setPrefix("web/templates");
        return new PebbleEngine.Builder().loader(loader).autoEscaping(true).build();
    }

    private static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle("web.texts", locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    static PebbleTemplate template(String name) {
        return ENGINE.getTemplate(name);
    }

    /** The texts under {@code prefix.} (without it) in this language, and {@code language}. */
    static Map<String, String> texts(String prefix, String lang) {
        return TEXTS.computeIfAbsent(prefix + "\n" + lang, k -> collect(prefix, lang)); // built once, not per request
    }

    private static Map<String, String> collect(String prefix, String lang) {
        ResourceBundle bundle = BUNDLES.get(lang);
        Map<String, String> texts = new HashMap<>();
        for (String key : bundle.keySet()) {
            if (key.startsWith(prefix + ".")) {
                texts.put(key.substring(prefix.length() + 1), bundle.getString(key));
            }
        }
        texts.put("language", bundle.getString("language"));
        return Map.copyOf(texts);
    }

    static Page render(PebbleTemplate template, int status, Map<String, Object> model) throws IOException {
        StringWriter out = new StringWriter();
        template.evaluate(out, model);
        return new Page(status, "text/html; charset=utf-8", out.toString());
    }

    /**
     * The request's method, form, query and language; null when the page cannot be asked this way (the answer is
     * then written already: 405 for another method, 400 for a body or query that cannot be read).
     */
    static Asked ask(HttpExchange ex, long maxUpload) throws IOException {
        String method = ex.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("POST")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD, POST");
            send(ex, Page.plain(405, "Method not allowed."));
            return null;
        }
        Map<String, String> form = new HashMap<>();
        List<Upload> uploads = new java.util.ArrayList<>();
        Map<String, String> query;
        try {
            if (method.equals("POST")) {
                String type = ex.getRequestHeaders().getFirst("Content-Type");
                if (maxUpload > 0 && type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
                    byte[] body = ex.getRequestBody().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxUpload + 1));
                    if (body.length > maxUpload) {
                        send(ex, Page.plain(413, "The files are too large: at most " + maxUpload + " bytes together."));
                        return null;
                    }
                    multipart(body, type, form, uploads);
                } else {
                    form.putAll(form(ex));
                }
            }
            query = HttpApi.urlEncoded(ex.getRequestURI().getRawQuery());
        } catch (IOException | ApiException | jakarta.mail.MessagingException e) { // a body we cannot read
            send(ex, Page.plain(400, "The request could not be read."));
            return null;
        }
        String lang = language(query.getOrDefault("lang", form.get("lang")),
                ex.getRequestHeaders().getFirst("Accept-Language"));
        return new Asked(method, form, query, lang, List.copyOf(uploads));
    }

    /** {@code lang} when it names one of ours, else the first of ours the browser accepts, else English. */
    static String language(String chosen, String acceptLanguage) {
        if (chosen != null && LANGUAGES.contains(chosen)) {
            return chosen;
        }
        if (acceptLanguage != null) {
            try {
                String best = Locale.lookupTag(Locale.LanguageRange.parse(acceptLanguage), LANGUAGES);
                if (best != null) {
                    return best;
                }
            } catch (IllegalArgumentException e) {
                // a malformed header: the default
            }
        }
        return "en";
    }

    /** A {@code multipart/form-data} body (RFC 7578), read with Jakarta Mail's MIME parser. */
    private static void multipart(byte[] body, String type, Map<String, String> form, List<Upload> uploads)
            throws jakarta.mail.MessagingException, IOException {
        jakarta.mail.internet.MimeMultipart mp = new jakarta.mail.internet.MimeMultipart(
                new jakarta.mail.util.ByteArrayDataSource(body, type));
        for (int i = 0; i < mp.getCount(); i++) {
            jakarta.mail.BodyPart part = mp.getBodyPart(i);
            String disposition = part.getHeader("Content-Disposition") == null ? ""
                    : part.getHeader("Content-Disposition")[0];
            String name = new jakarta.mail.internet.ContentDisposition(disposition).getParameter("name");
            if (name == null) {
                continue;
            }
            byte[] content;
            try (java.io.InputStream in = part.getInputStream()) {
                content = in.readAllBytes();
            }
            String fileName = part.getFileName();
            if (fileName != null) {
                if (content.length > 0 || !fileName.isEmpty()) {
                    uploads.add(new Upload(name, fileName, part.getContentType(), content));
                }
            } else {
                form.putIfAbsent(name, new String(content, StandardCharsets.UTF_8));
            }
        }
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

    static void send(HttpExchange ex, Page page) throws IOException {
        byte[] bytes = page.body();
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
