package org.postfach.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.Relay;
import org.postfach.testing.Api;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestRelay;

/** SPEC §9 {@code /metrics}: Prometheus text without a token, with the relay's counters, queue, JVM and pool. */
class MetricsIT {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dir;

    @Test
    void countersMoveWithTheMail() throws Exception {
        try (Relay relay = TestRelay.start(dir, smarthost.getSmtp().getPort(), Map.of())) {
            Api api = TestRelay.api(relay);
            String alias = api.pair();
            try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
                s.send("EHLO shop.example");
                SmtpDialogue.expect(s.mail("seller@shop.example", alias, "From: seller@shop.example\r\nSubject: x\r\n\r\ny\r\n"
                        .getBytes(StandardCharsets.UTF_8)), "250");
                SmtpDialogue.expect(s.send("MAIL FROM:<seller@shop.example>"), "250");
                assertThat(s.send("RCPT TO:<someone@elsewhere.example>")).startsWith("550 5.7.1");
            }
            assertThat(smarthost.waitForIncomingEmail(15_000, 1)).isTrue();
            Api.Response m = api.call("GET", "/metrics", null, null);
            assertThat(m.status()).isEqualTo(200);
            assertThat(m.body()).contains("postfach_messages_accepted_total{route=\"seller-to-buyer\"} 1.0")
                    .contains("postfach_messages_refused_total{reply=\"550 5.7.1\"} 1.0")
                    .contains("postfach_queue_depth{state=\"QUEUED\"}")
                    .contains("postfach_intake_seconds_count{result=\"accepted\"} 1")
                    .contains("postfach_intake_seconds_bucket{result=\"accepted\",le=\"0.05\"}")
                    .contains("postfach_intake_seconds_bucket{result=\"accepted\",le=\"+Inf\"} 1")
                    .contains("jvm_memory_used_bytes").contains("hikaricp_connections");
            Awaitility.await().until(() -> api.call("GET", "/metrics", null, null).body()
                    .contains("postfach_deliveries_total{result=\"delivered\"} 1.0"));
            assertThat(m.body()).doesNotContain("seller@shop.example");
        }
    }
}
