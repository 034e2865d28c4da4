package org.postfach.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.Relay;
import org.postfach.mail.Replies;
import org.postfach.testing.Api;
import org.postfach.testing.Archive;
import org.postfach.testing.FakeSmarthost;
import org.postfach.testing.FakeSmarthost.Fault;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestRelay;

/**
 * SPEC §6, ARCHITECTURE "a worker survives every failure of a single entry": one test per way a smarthost can
 * misbehave. Each checks the queue and archive state afterwards, and that the (single) worker still delivers the
 * next good message.
 */
class SmarthostFaultsIT {
    @TempDir
    Path dir;

    private FakeSmarthost fake;
    private Relay relay;
    private Archive archive;
    private String alias;
    private int sent;

    private void start(Fault fault, Map<String, String> extra) throws Exception {
        fake = new FakeSmarthost();
        Map<String, String> env = new HashMap<>(Map.of("POSTFACH_DELIVERY_SMARTHOST_TIMEOUT", "2s",
                "POSTFACH_DELIVERY_WORKERS", "1"));
        env.putAll(extra);
        relay = TestRelay.start(dir, fake.port(), env);
        archive = new Archive(relay);
        Api api = TestRelay.api(relay);
        api.seller("s", "Shop", "seller@shop.example", "cs@shop.example");
        api.buyer("b", "Buyer", "buyer@buyer.example");
        alias = api.order("o1", "s", "b", null);
        fake.fault(fault);
    }

    @AfterEach
    void stop() throws Exception {
        if (relay != null) {
            relay.close();
        }
        if (archive != null) {
            archive.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    /** Sends one message from the seller to the buyer alias; returns its archive id. */
    private long send(String subject) throws Exception {
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO shop.example");
            byte[] msg = ("From: seller@shop.example\r\nSubject: " + subject + "\r\n\r\nBody\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            assertThat(s.mail("seller@shop.example", alias, msg)).isEqualTo(Replies.OK.toString());
        }
        sent++;
        return archive.messages().stream().filter(r -> alias.equals(r.envelopeTo()))
                .mapToLong(Archive.Row::id).max().orElseThrow();
    }

    private Archive.QueueRow awaitState(long id, String state) {
        Supplier<Archive.QueueRow> row = () -> archive.queueEntry(id).orElseThrow();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> row.get().state().equals(state));
        return row.get();
    }

    private void assertDeferredOnce(long id) {
        Archive.QueueRow q = awaitState(id, "DEFERRED");
        assertThat(q.attempts()).isEqualTo(1);
        assertThat(q.nextAttemptAt()).isAfter(Instant.now());
        assertThat(archive.status(id)).isEqualTo("DEFERRED");
    }

    /** The worker lives on: with the fault gone, the next message is delivered. */
    private void assertWorkerAlive() throws Exception {
        fake.fault(Fault.NONE);
        String subject = "after-fault-" + sent;
        long id = send(subject);
        awaitState(id, "DELIVERED");
        assertThat(fake.count("Subject: " + subject)).isEqualTo(1);
    }

    private void deferredAndAlive(Fault fault) throws Exception {
        start(fault, Map.of());
        long id = send("victim");
        assertDeferredOnce(id);
        assertWorkerAlive();
        assertThat(archive.queueEntry(id).orElseThrow().state()).isEqualTo("DEFERRED");
        assertThat(fake.count("Subject: victim")).isZero();
    }

    @Test
    void temporaryFailureAtRcptDefers() throws Exception {
        deferredAndAlive(Fault.TEMP_RCPT);
    }

    @Test
    void temporaryFailureAfterDataDefers() throws Exception {
        deferredAndAlive(Fault.TEMP_DATA);
    }

    @Test
    void connectionRefusedDefers() throws Exception {
        deferredAndAlive(Fault.REFUSE);
    }

    @Test
    void stalledServerTimesOutAndDefers() throws Exception {
        deferredAndAlive(Fault.STALL);
    }

    @Test
    void endlessMultiLineReplyIsBoundedAndDefers() throws Exception {
        deferredAndAlive(Fault.ENDLESS_REPLY);
    }

    @Test
    void permanentFailureFailsAndTellsTheSenderWithoutTheRemoteText() throws Exception {
        start(Fault.PERM_RCPT, Map.of());
        fake.onlyFor("buyer@buyer.example"); // the notice to the seller goes through
        long id = send("victim");
        Archive.QueueRow q = awaitState(id, "FAILED");
        assertThat(q.attempts()).isEqualTo(1);
        assertThat(q.lastError()).contains("remote-secret-diagnostic"); // stored for the operator
        assertThat(archive.status(id)).isEqualTo("FAILED");
        assertWorkerAlive();
        // SPEC §3.4: the sender's notice names the alias, never the remote server's text; exactly one
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> fake.received().size() == 2);
        assertThat(archive.noticesAbout(id)).hasSize(1);
        assertThat(archive.noticesAbout(id).get(0).deliveredTo()).isEqualTo("seller@shop.example");
        String notice = fake.received().stream().filter(m -> !m.contains("Subject: after-fault"))
                .findFirst().orElseThrow();
        assertThat(notice).contains(alias).doesNotContain("remote-secret-diagnostic").doesNotContain("buyer@");
    }

    @Test
    void connectionDroppedInDataDefersAndIsDeliveredOnceLater() throws Exception {
        start(Fault.DROP_IN_DATA, Map.of());
        long id = send("victim");
        assertDeferredOnce(id);
        assertWorkerAlive();
        archive.makeDue(id); // as `postfach queue retry` does
        Archive.QueueRow q = awaitState(id, "DELIVERED");
        assertThat(q.attempts()).isEqualTo(2);
        assertThat(fake.count("Subject: victim")).isEqualTo(1);
    }

    @Test
    void tlsHandshakeFailureWithStarttlsRequiredDefers() throws Exception {
        start(Fault.TLS_GARBAGE, Map.of("POSTFACH_DELIVERY_SMARTHOST_STARTTLS", "required"));
        long id = send("victim");
        assertDeferredOnce(id);
        // no clear-text fallback: the smarthost never saw a MAIL, so nothing arrived
        assertThat(fake.received()).isEmpty();
        // the worker lives on: made due again, the entry is tried again (and deferred again)
        archive.makeDue(id);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> fake.starttlsAttempts() >= 2
                && archive.queueEntry(id).orElseThrow().state().equals("DEFERRED")
                && archive.queueEntry(id).orElseThrow().attempts() == 2);
        assertThat(fake.received()).isEmpty();
    }
}
