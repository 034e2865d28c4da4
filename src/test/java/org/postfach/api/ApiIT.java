package org.postfach.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postfach.Relay;
import org.postfach.testing.Api;
import org.postfach.testing.TestRelay;

/** SPEC §9: the API's contract for the routes of the foundation, and its errors. */
class ApiIT {
    @TempDir
    static Path dir;
    static Relay relay;
    static Api api;

    @BeforeAll
    static void start() {
        relay = TestRelay.start(dir, 1, Map.of("POSTFACH_DELIVERY_MODE", "file"));
        api = TestRelay.api(relay);
        api.seller("s1", "Shop", "seller@shop.example", "cs@shop.example");
        api.buyer("b1", "Buyer", "buyer@buyer.example");
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void sellerLifecycle() {
        Api.Response created = api.call("POST", "/api/sellers",
                "{\"name\":\"Neu\",\"email\":\"neu@neu.example\",\"customerServiceEmail\":\"cs@neu.example\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.text("id");
        assertThat(created.text("alias")).hasSize(35).endsWith("@marketplace.example");
        assertThat(created.json().get("bounceNotices").asBoolean()).isTrue();
        Api.Response patched = api.call("PATCH", "/api/sellers/" + id, "{\"bounceNotices\":false}");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(api.call("GET", "/api/sellers/" + id, null).json().get("bounceNotices").asBoolean()).isFalse();
        assertThat(api.call("POST", "/api/sellers/" + id + "/addresses", "{\"email\":\"Team@Neu.example\"}")
                .json().get("addresses").toString()).contains("team@neu.example");
        assertThat(api.call("DELETE", "/api/sellers/" + id + "/addresses/team@neu.example", null).status())
                .isEqualTo(200);
        assertThat(api.call("DELETE", "/api/sellers/" + id + "/addresses/team@neu.example", null).status())
                .isEqualTo(404);
        assertThat(api.call("DELETE", "/api/sellers/" + id + "/addresses/neu@neu.example", null).status())
                .as("the registered address stays").isEqualTo(409);
    }

    @Test
    void buyersOrdersAndAliases() {
        assertThat(api.call("PATCH", "/api/buyers/b1", "{\"optedOut\":true}").json().get("optedOut").asBoolean())
                .isTrue();
        assertThat(api.call("GET", "/api/buyers/b1", null).json().get("optedOut").asBoolean()).isTrue();
        Api.Response order = api.call("POST", "/api/orders",
                "{\"id\":\"302-1\",\"sellerId\":\"s1\",\"buyerId\":\"b1\",\"category\":\"Wine\"}");
        assertThat(order.status()).isEqualTo(201);
        String alias = order.text("buyerAlias");
        Api.Response owner = api.call("GET", "/api/aliases/" + alias, null);
        assertThat(owner.text("buyerId")).isEqualTo("b1");
        assertThat(owner.json().get("orders").get(0).get("category").asText()).isEqualTo("wine");
        assertThat(api.call("POST", "/api/orders", "{\"id\":\"302-1\",\"sellerId\":\"s1\",\"buyerId\":\"b1\"}")
                .status()).isEqualTo(409);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "POST | /api/sellers | {\"name\":\"x\",\"email\":\"nope\",\"customerServiceEmail\":\"a@b.example\"} | 400 | email: not a valid e-mail address",
        "POST | /api/sellers | {\"email\":\"a@x.example\",\"customerServiceEmail\":\"a@b.example\"} | 400 | name: required",
        "POST | /api/sellers | {\"name\":\"x\",\"email\":\"a@x.example\",\"customerServiceEmail\":\"a@b.example\",\"colour\":1} | 400 | colour: unknown field",
        "POST | /api/sellers | {\"name\":5,\"email\":\"a@x.example\",\"customerServiceEmail\":\"a@b.example\"} | 400 | name: must be a string",
        "POST | /api/sellers | {\"id\":\"s1\",\"name\":\"x\",\"email\":\"new@x.example\",\"customerServiceEmail\":\"a@b.example\"} | 409 | seller s1 already exists",
        "POST | /api/sellers | {\"name\":\"x\",\"email\":\"seller@shop.example\",\"customerServiceEmail\":\"a@b.example\"} | 409 | email is already registered",
        "POST | /api/sellers | {\"name\":\"x\",\"email\":\"x@marketplace.example\",\"customerServiceEmail\":\"a@b.example\"} | 400 | email: an address on the alias domain cannot be registered",
        "POST | /api/sellers | not json | 400 | the request body is not valid JSON",
        "POST | /api/sellers | [1,2] | 400 | the request body must be a JSON object",
        "GET | /api/sellers/nobody | | 404 | seller nobody not found",
        "PATCH | /api/sellers/s1 | {\"bounceNotices\":\"yes\"} | 400 | bounceNotices: must be true or false",
        "PATCH | /api/buyers/b1 | {} | 400 | optedOut: required",
        "PATCH | /api/buyers/nobody | {\"optedOut\":true} | 404 | buyer nobody not found",
        "POST | /api/orders | {\"id\":\"o\",\"sellerId\":\"nobody\",\"buyerId\":\"b1\"} | 404 | seller nobody not found",
        "POST | /api/orders | {\"id\":\"o x\",\"sellerId\":\"s1\",\"buyerId\":\"b1\"} | 400 | id: only letters, digits",
        "POST | /api/orders | {\"id\":\"o\",\"sellerId\":\"s1\",\"buyerId\":\"b1\",\"placedAt\":\"yesterday\"} | 400 | placedAt: not an ISO-8601 instant",
        "GET | /api/aliases/unknown@marketplace.example | | 404 | alias not found",
        "GET | /api/nothing | | 404 | no such resource",
        "DELETE | /api/sellers | | 405 | method DELETE not allowed here",
    })
    void errorsAreJsonWithAStatusAndAReason(String method, String path, String body, int status, String reason) {
        Api.Response r = api.call(method, path, body);
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.text("error")).startsWith(reason);
    }

    @Test
    void aMissingOrWrongTokenIs401() {
        for (String auth : new String[] {null, "Bearer wrong", "Basic abc", "Bearer ", TestRelay.TOKEN}) {
            Api.Response r = api.call("GET", "/api/sellers/s1", null, auth);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.text("error")).contains("API token");
        }
        assertThat(api.call("GET", "/health", null, null).status()).isEqualTo(200);
    }

    @Test
    void malformedRequestsNeverGiveA5xx() throws Exception {
        Random random = new Random(42);
        List<String> paths = List.of("/api/sellers", "/api/sellers/s1", "/api/sellers/s1/addresses",
                "/api/buyers", "/api/buyers/b1", "/api/orders",
                "/api/sellers/%00", "/api/aliases/" + "a".repeat(5000), "/health", "/api//sellers", "/../../etc");
        List<String> bodies = List.of("", "{", "null", "{\"name\":null}", "{\"email\":{}}", "\"str\"", "1e999",
                "{\"id\":\"" + "x".repeat(100) + "\"}", "{\"name\":\"a\u0000b\"}", "{\"optedOut\":null}",
                "{\"email\":\"a@b@c\"}", "{\"placedAt\":12}", "{\"category\":[]}", "\u00ff\u00fe");
        List<String> methods = List.of("GET", "POST", "PATCH", "DELETE", "PUT");
        for (int i = 0; i < 300; i++) {
            String body = bodies.get(random.nextInt(bodies.size()));
            Api.Response r = api.call(methods.get(random.nextInt(methods.size())),
                    paths.get(random.nextInt(paths.size())), body.isEmpty() ? null : body);
            assertThat(r.status()).as("request %d", i).isLessThan(500);
            if (r.status() >= 400) {
                assertThat(r.json()).as("JSON error body").isNotNull();
                assertThat(r.text("error")).isNotBlank();
            }
        }
        // raw garbage on the socket: the server answers or closes, and stays up
        for (String raw : List.of("GARBAGE\r\n\r\n",
                "DELETE /api/sellers/s1/addresses/%zz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestRelay.TOKEN
                        + "\r\n\r\n",
                "GET /api/aliases/% HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestRelay.TOKEN + "\r\n\r\n", "GET /api/sellers/s1 HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                "POST /api/sellers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestRelay.TOKEN
                        + "\r\nContent-Length: 4\r\n\r\n{\"a\"")) {
            try (Socket s = new Socket("127.0.0.1", relay.apiPort())) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = s.getInputStream();
                String head = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
                assertThat(head).doesNotStartWith("HTTP/1.1 5");
            } catch (java.net.SocketTimeoutException | java.net.SocketException ignored) {
                // closing on garbage is a fine answer
            }
        }
        assertThat(api.call("GET", "/health", null).status()).isEqualTo(200);
    }
}
