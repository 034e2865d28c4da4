package org.postfach.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.mail.Replies;
import org.postfach.testing.Api;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestRelay;

/** SPEC §6: a message answered 250 survives kill -9 of the relay, and the restart delivers it. */
class KillNineIT {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMessageIsDeliveredAfterKillNineAndRestart() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        Set<String> acknowledged = new HashSet<>();
        try (ServerSocket blackhole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        stalled.add(blackhole.accept()); // accepts and never answers: deliveries hang
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();

            Map<String, String> env = TestRelay.env(dir, blackhole.getLocalPort());
            try (ChildRelay first = new ChildRelay(env)) {
                Api api = new Api(first.apiPort, TestRelay.TOKEN);
                api.seller("s", "Shop", "seller@shop.example", "cs@shop.example");
                api.buyer("b", "Buyer", "buyer@buyer.example");
                String alias = api.order("o1", "s", "b", null);
                try (SmtpDialogue s = new SmtpDialogue(first.smtpPort)) {
                    s.send("EHLO shop.example");
                    for (int i = 0; i < 25; i++) {
                        String subject = "crash-test-" + i;
                        // every fifth is large enough for a segment file beside the H2 database (store.Bodies)
                        String body = "Body " + i + "\r\n" + (i % 5 == 0 ? "filler line\r\n".repeat(8000) : "");
                        byte[] msg = ("From: seller@shop.example\r\nSubject: " + subject + "\r\n\r\n" + body)
                                .getBytes(StandardCharsets.US_ASCII);
                        String reply = s.mail("seller@shop.example", alias, msg);
                        assertThat(reply).isEqualTo(Replies.OK.toString());
                        acknowledged.add(subject);
                    }
                }
                first.kill(); // SIGKILL right after the last 250
                assertThat(first.process.isAlive()).isFalse();
            }
        }
        for (Socket s : stalled) {
            s.close();
        }
        assertThat(smarthost.getReceivedMessages()).isEmpty();

        Map<String, String> env = TestRelay.env(dir, smarthost.getSmtp().getPort());
        try (ChildRelay second = new ChildRelay(env)) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> subjects().containsAll(acknowledged));
        }
        assertThat(subjects()).containsExactlyInAnyOrderElementsOf(acknowledged);
        for (MimeMessage m : smarthost.getReceivedMessages()) {
            int i = Integer.parseInt(m.getSubject().substring("crash-test-".length()));
            String text = ((String) m.getContent()).replace("\r\n", "\n").stripTrailing();
            assertThat(text).as("message %d arrived whole", i)
                    .isEqualTo(("Body " + i + "\n" + (i % 5 == 0 ? "filler line\n".repeat(8000) : "")).stripTrailing());
        }
    }

    private static Set<String> subjects() throws Exception {
        Set<String> out = new HashSet<>();
        for (MimeMessage m : smarthost.getReceivedMessages()) {
            out.add(m.getSubject());
        }
        return out;
    }
}
