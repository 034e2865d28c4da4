package org.postfach.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.testing.TestRelay;

/**
 * The HTTP server faces the internet since its opt-out and action pages (SPEC §10): a client that sends its request
 * slowly or not at all is disconnected after {@code api.requestTimeout}, so slow clients cannot hold the server's
 * threads (before, they held one each for as long as they liked). In a JVM of its own: the JDK's server reads the
 * limit once per JVM.
 */
class SlowClientIT {
    @TempDir
    Path dir;

    @Test
    void clientsThatDoNotFinishTheirRequestAreDisconnectedAndTheServerStillAnswers() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(TestRelay.env(dir, 9));
        env.put("POSTFACH_API_REQUESTTIMEOUT", "2s");
        try (ChildRelay relay = new ChildRelay(env)) {
            // more slow clients than the server has threads (8): half a request line, headers without their end,
            // a form body shorter than its Content-Length
            List<Socket> slow = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                Socket s = new Socket("127.0.0.1", relay.apiPort);
                s.setSoTimeout(15_000);
                String request = switch (i % 3) {
                    case 0 -> "GET /hea";
                    case 1 -> "GET /health HTTP/1.1\r\nHost: x\r\n";
                    default -> "POST /unsubscribe/AAAA HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
                            + "Content-Type: application/x-www-form-urlencoded\r\n\r\nList-Unsub";
                };
                s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                slow.add(s);
            }
            long start = System.nanoTime();
            for (Socket s : slow) {
                try (s; InputStream in = s.getInputStream()) {
                    byte[] got = in.readAllBytes(); // until the server closes; a SocketTimeoutException fails the test
                    assertThat(new String(got, StandardCharsets.ISO_8859_1)).doesNotStartWith("HTTP/1.1 5");
                } catch (java.net.SocketException reset) {
                    // closed by the server with a reset: disconnected as well
                }
            }
            assertThat((System.nanoTime() - start) / 1_000_000_000).as("seconds until all were disconnected")
                    .isLessThan(12);
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + relay.apiPort + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }
}
