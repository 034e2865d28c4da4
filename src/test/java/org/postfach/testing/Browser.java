package org.postfach.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.postfach.Relay;

/**
 * Opens the relay's pages (SPEC §10) the way a browser or a mailbox provider would, given the addresses the mail
 * carries ({@code web.publicUrl} and a path): here they are sent to the relay's own HTTP port. Redirects are not
 * followed, so that a test sees them.
 */
public final class Browser {
    private final Relay relay;
    private final String publicUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public Browser(Relay relay, String publicUrl) {
        this.relay = relay;
        this.publicUrl = publicUrl;
    }

    /** The address as the relay's own port serves it. */
    public URI local(String url) {
        if (!url.startsWith(publicUrl)) {
            throw new IllegalArgumentException(url + " is not on " + publicUrl);
        }
        return URI.create("http://127.0.0.1:" + relay.apiPort() + url.substring(publicUrl.length()));
    }

    public HttpResponse<String> get(String url, String cookie, String acceptLanguage) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(local(url)).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (acceptLanguage != null) {
            b.header("Accept-Language", acceptLanguage);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String url, String acceptLanguage) throws Exception {
        return get(url, null, acceptLanguage);
    }

    /** A form POST ({@code application/x-www-form-urlencoded}). */
    public HttpResponse<String> post(String url, String form, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(local(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String url, String form) throws Exception {
        return post(url, form, null);
    }

    public int head(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(local(url)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Any other method, with a body. */
    public int send(String method, String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(local(url)).method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
