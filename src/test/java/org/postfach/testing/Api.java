package org.postfach.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small client for the relay's HTTP API. */
public final class Api {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    public record Response(int status, JsonNode json, String body) {
        public String text(String field) {
            return json == null || json.get(field) == null ? null : json.get(field).asText();
        }
    }

    public Api(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    public Response call(String method, String path, String body) {
        return call(method, path, body, "Bearer " + token);
    }

    public Response call(String method, String path, String body, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            if (!r.body().isEmpty() && r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
                json = JSON.readTree(r.body());
            }
            return new Response(r.statusCode(), json, r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public JsonNode ok(String method, String path, String body) {
        Response r = call(method, path, body);
        if (r.status() / 100 != 2) {
            throw new AssertionError(method + " " + path + " answered " + r.status() + ": " + r.body());
        }
        return r.json();
    }

    public String seller(String id, String name, String email, String customerService) {
        return ok("POST", "/api/sellers", "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"email\":\"" + email
                + "\",\"customerServiceEmail\":\"" + customerService + "\"}").get("alias").asText();
    }

    public void buyer(String id, String name, String email) {
        ok("POST", "/api/buyers", "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"email\":\"" + email + "\"}");
    }

    /** Registers an order and answers the pair's buyer alias. */
    public String order(String id, String sellerId, String buyerId, String category) {
        return ok("POST", "/api/orders", "{\"id\":\"" + id + "\",\"sellerId\":\"" + sellerId + "\",\"buyerId\":\""
                + buyerId + "\"" + (category == null ? "" : ",\"category\":\"" + category + "\"") + "}")
                .get("buyerAlias").asText();
    }

    /** The smallest directory: seller "s" (seller@shop.example), buyer "b", order "o"; answers the buyer alias. */
    public String pair() {
        seller("s", "Shop", "seller@shop.example", "cs@shop.example");
        buyer("b", "Buyer", "buyer@buyer.example");
        return order("o", "s", "b", null);
    }
}
