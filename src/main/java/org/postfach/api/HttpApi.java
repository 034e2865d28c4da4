package org.postfach.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.postfach.directory.DirectoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of the API (SPEC §9), later also of the seller console. Every answer is JSON; every error is
 * {@code {"error": "..."}} with a 4xx status. The catch-all here is one of the four of ARCHITECTURE.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final int MAX_BODY = 1024 * 1024;
    private static final String MAX_REQUEST_TIME = "sun.net.httpserver.maxReqTime"; // seconds

    private final HttpServer server;
    private final ExecutorService executor;
    private final Router router;
    private final ObjectMapper json = new ObjectMapper();
    private final byte[] tokenHash;

    public HttpApi(String host, int port, String token, ApiRoutes routes) throws IOException {
        this(host, port, token, routes, null);
    }

    /**
     * {@code requestTimeout}: how long a request may take from its first byte until the answer begins; a client
     * that sends slower (or not at all) is disconnected, so that slow clients cannot hold the server's threads. The
     * JDK's server reads this once per JVM, when its first server starts; a {@code -Dsun.net.httpserver.maxReqTime}
     * given to the JVM wins. Null: the JDK's default (no limit).
     */
    public HttpApi(String host, int port, String token, ApiRoutes routes, java.time.Duration requestTimeout)
            throws IOException {
        if (requestTimeout != null && System.getProperty(MAX_REQUEST_TIME) == null) {
            System.setProperty(MAX_REQUEST_TIME, Long.toString(Math.max(1, requestTimeout.toSeconds())));
        }
        this.tokenHash = sha256(token);
        this.router = routes.table();
        this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
        this.executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Serves the paths under {@code prefix} with {@code handler} (the web front, SPEC §10: pages, not JSON), on the
     * same server and port as the API. Before {@link #start()}.
     */
    public void mount(String prefix, com.sun.net.httpserver.HttpHandler handler) {
        server.createContext(prefix, handler);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        Reply reply;
        try {
            reply = dispatch(ex);
        } catch (ApiException e) {
            reply = error(e.status(), e.getMessage());
        } catch (DirectoryException e) {
            reply = error(switch (e.kind()) {
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
                default -> 400;
            }, e.getMessage());
        } catch (Exception e) {
            LOG.error("API request {} {} failed", ex.getRequestMethod(), ex.getRequestURI().getRawPath(), e);
            reply = error(500, "internal error");
        }
        send(ex, reply);
    }

    private Reply dispatch(HttpExchange ex) throws Exception {
        String path = ex.getRequestURI().getRawPath();
        Router.Match match = router.match(ex.getRequestMethod(), path);
        if (!match.open() && !authorized(ex.getRequestHeaders().getFirst("Authorization"))) {
            throw new ApiException(401, "missing or wrong API token (Authorization: Bearer <api.token>)");
        }
        Map<String, String> params = new HashMap<>();
        for (Map.Entry<String, String> p : match.params().entrySet()) {
            params.put(p.getKey(), decode(p.getValue()));
        }
        Request request = new Request(params, urlEncoded(ex.getRequestURI().getRawQuery()), readBody(ex), json);
        return match.handler().handle(request);
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(tokenHash, sha256(header.substring(7).trim())); // constant time
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("malformed percent-encoding in the request");
        }
    }

    /**
     * The fields of a query string or an {@code application/x-www-form-urlencoded} body, the first of each name;
     * malformed percent-encoding is a 400.
     */
    public static Map<String, String> urlEncoded(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                q.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("malformed percent-encoding in the query or form");
            }
        }
        return q;
    }

    private static byte[] readBody(HttpExchange ex) {
        // Not closed here: closing reads the rest of the body first, which for broken chunking waits on the client
        // (the answer would wait with it); the exchange closes it after the answer is sent.
        try {
            byte[] body = ex.getRequestBody().readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw ApiException.badRequest("the request body is larger than 1 MB");
            }
            return body;
        } catch (IOException e) { // broken chunking, a body shorter than its Content-Length: the client's fault
            throw ApiException.badRequest("the request body could not be read: " + e.getMessage());
        }
    }

    private static Reply error(int status, String message) {
        return new Reply(status, Map.of("error", message), null, null);
    }

    private void send(HttpExchange ex, Reply reply) throws IOException {
        try (ex) {
            byte[] bytes;
            String type;
            if (reply.raw() != null) {
                bytes = reply.raw();
                type = reply.contentType();
            } else if (reply.json() != null) {
                bytes = json.writeValueAsBytes(reply.json());
                type = "application/json; charset=utf-8";
            } else {
                bytes = null;
                type = null;
            }
            if (type != null) {
                ex.getResponseHeaders().set("Content-Type", type);
            }
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.sendResponseHeaders(reply.status(), bytes == null ? -1 : bytes.length);
            if (bytes != null) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
