package org.postfach.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.Relay;
import org.postfach.testing.Api;
import org.postfach.testing.TestRelay;

/** Hundreds of malformed bodies, paths and headers: the API answers 4xx with a JSON error, never a 5xx. */
class ApiFuzzIT {
    static final String[] PATHS = {"/api/sellers", "/api/sellers/s1", "/api/sellers/s1/addresses",
        "/api/sellers/s1/addresses/x@y.example", "/api/sellers/s1/credentials", "/api/sellers/s1/stats", "/api/buyers",
        "/api/buyers/b1", "/api/orders", "/api/aliases/x", "/api/messages", "/api/messages/1", "/api/messages/1/raw",
        "/api/messages/1/report", "/api/messages/1/no-response-needed", "/api/reports", "/health", "/api/nothing"};
    static final String[] METHODS = {"GET", "POST", "PATCH", "DELETE", "PUT"};
    static final String[] BODIES = {"", "{", "[]", "null", "42", "\"x\"", "{\"id\":{}}", "{\"name\":[1,2]}",
        "{\"email\":\"not an address\"}", "{\"email\":123}", "{\"id\":\"../../etc\"}", "{\"legalHold\":\"yes\"}",
        "{\"reason\":null}", "{\"placedAt\":\"tomorrow\"}", "{\"optedOut\":1}", "{\"name\":\"\\u0000\"}",
        "{\"id\":\"" + "a".repeat(5000) + "\"}", "{\"bounceNotices\":[]}", "{\"a\":" + "[".repeat(3000) + "}",
        "\u00ff\u00fe\u0000garbage", "{\"id\":\"s1\",\"name\":\"N\",\"email\":\"a@b.example\","
            + "\"customerServiceEmail\":\"c@d.example\",\"extra\":true}"};

    @TempDir
    Path dir;
    Relay relay;
    Api api;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir, 25, Map.of());
        api = TestRelay.api(relay);
        api.seller("s1", "Shop", "seller@shop.example", "cs@shop.example");
        api.buyer("b1", "Buyer", "buyer@buyer.example");
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    void malformedBodiesPathsAndQueriesNeverGiveA5xx() {
        Random random = new Random(4711);
        List<String> failures = new ArrayList<>();
        int requests = 0;
        for (String path : PATHS) {
            for (String method : METHODS) {
                for (String body : BODIES) {
                    if (random.nextInt(3) != 0) {
                        continue; // a third of the grid, different each row
                    }
                    check(failures, method, path, body, "Bearer " + TestRelay.TOKEN);
                    requests++;
                }
            }
        }
        String[] queries = {"?limit=-1", "?limit=99999999999999999999", "?since=%00", "?cursor=%FF%FE", "?q=%25%25%25",
            "?status=%27%3B%20DROP%20TABLE%20messages", "?form=../../x", "?sellerId=" + "x".repeat(3000), "?&&&=&="};
        for (String q : queries) {
            for (String path : new String[] {"/api/messages", "/api/messages/1/raw", "/api/reports"}) {
                check(failures, "GET", path + q, null, "Bearer " + TestRelay.TOKEN);
                requests++;
            }
        }
        String[] segments = {"%00", "%2e%2e", "..", "%FF", "x%20y", "a".repeat(2000), "%C3%28", "%E2%82", "1e99",
            "-1", "99999999999999999999", "%0d%0aX:%201"};
        for (String seg : segments) {
            for (String template : new String[] {"/api/sellers/%s", "/api/messages/%s", "/api/aliases/%s",
                "/api/sellers/s1/addresses/%s", "/api/messages/%s/raw"}) {
                check(failures, "GET", String.format(template, seg), null, "Bearer " + TestRelay.TOKEN);
                check(failures, "DELETE", String.format(template, seg), null, "Bearer " + TestRelay.TOKEN);
                requests += 2;
            }
        }
        for (String auth : new String[] {null, "", "Bearer", "Bearer ", "Basic eDp5", "Bearer " + "x".repeat(10000),
            "bearer " + TestRelay.TOKEN.toUpperCase(), "Bearer " + TestRelay.TOKEN + "x"}) {
            Api.Response r = api.call("GET", "/api/sellers/s1", null, auth);
            assertThat(r.status()).as("auth " + auth).isEqualTo(401);
            requests++;
        }
        assertThat(failures).as("requests answered with 5xx").isEmpty();
        assertThat(requests).isGreaterThan(200);
    }

    void check(List<String> failures, String method, String path, String body, String auth) {
        try {
            Api.Response r = api.call(method, path, body, auth);
            if (r.status() >= 500) {
                failures.add(method + " " + path + " " + body + " -> " + r.status() + " " + r.body());
            } else if (r.status() >= 400 && (r.json() == null || r.json().get("error") == null)) {
                failures.add(method + " " + path + " -> " + r.status() + " without {\"error\"}: " + r.body());
            }
        } catch (IllegalArgumentException e) {
            raw(failures, method + " " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
                    + "\r\nContent-Length: 0\r\n\r\n");
        }
    }

    @Test
    void brokenRequestLinesAndHeadersNeverGiveA5xx() {
        List<String> failures = new ArrayList<>();
        String[] requests = {"GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET /api/sellers/s1 HTTP/9.9\r\n\r\n",
            "GET /api/sellers/s1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestRelay.TOKEN
                + "\r\nContent-Length: -5\r\n\r\n",
            "POST /api/sellers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestRelay.TOKEN
                + "\r\nContent-Length: 99999999999\r\n\r\n{}",
            "POST /api/sellers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestRelay.TOKEN
                + "\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n",
            "GET /api/sellers/s1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestRelay.TOKEN + "\r\n"
                + "X-Long: " + "y".repeat(20000) + "\r\n\r\n",
            "GET /api/%%%% HTTP/1.1\r\nHost: x\r\n\r\n",
            // the web front's pages (SPEC §10) on the same server
            "POST /unsubscribe/AAAA HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n",
            "POST /unsubscribe/AAAA HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\nList-Unsubscribe",
            "GET /unsubscribe/%%%% HTTP/1.1\r\nHost: x\r\nAccept-Language: ;;;q=x,*-*-\r\n\r\n",
            "DELETE /unsubscribe/ HTTP/1.1\r\nHost: x\r\n\r\n", "GET /api/sellers/s1 HTTP/1.1\r\nNoColonHeader\r\n\r\n"};
        for (String r : requests) {
            raw(failures, r);
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void aBodyWithBrokenChunkingIsAnswered400WithoutWaitingForTheClient() throws Exception {
        // before: the body's stream was closed before the answer, and closing reads the rest of a chunked body,
        // so the client waited for an answer as long as it kept the connection open
        for (String path : List.of("/api/sellers", "/unsubscribe/AAAA")) {
            try (Socket s = new Socket("127.0.0.1", relay.apiPort())) {
                s.setSoTimeout(5000);
                s.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + TestRelay.TOKEN + "\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
                assertThat(status).as(path).isEqualTo("HTTP/1.1 400");
            }
        }
    }

    void raw(List<String> failures, String request) {
        try (Socket s = new Socket("127.0.0.1", relay.apiPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            String status = new String(head, StandardCharsets.ISO_8859_1);
            if (status.length() >= 12 && status.charAt(9) == '5') {
                failures.add(request.lines().findFirst().orElse("") + " -> " + status);
            }
        } catch (java.io.IOException e) {
            // the server closed the connection: not an answer, and not a 5xx
        }
    }
}
