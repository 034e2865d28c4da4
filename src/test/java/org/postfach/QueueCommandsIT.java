package org.postfach;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.mail.Replies;
import org.postfach.testing.Api;
import org.postfach.testing.Archive;
import org.postfach.testing.FakeSmarthost;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestRelay;

/** SPEC §9: {@code postfach queue list|show|retry|delete}, against the database of a running relay. */
class QueueCommandsIT {
    @TempDir
    Path dir;

    private FakeSmarthost fake;
    private Relay relay;
    private Archive archive;
    private String alias;
    private Path config;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeSmarthost();
        fake.fault(FakeSmarthost.Fault.TEMP_RCPT); // everything is deferred until the test says otherwise
        Path data = dir.resolve("data");
        relay = TestRelay.start(data, fake.port(), Map.of("POSTFACH_DELIVERY_WORKERS", "1"));
        archive = new Archive(relay);
        Api api = TestRelay.api(relay);
        api.seller("s", "Shop", "seller@shop.example", "cs@shop.example");
        api.buyer("b", "Buyer", "buyer@buyer.example");
        alias = api.order("o1", "s", "b", null);
        config = dir.resolve("postfach.properties");
        Files.writeString(config, "data.dir=" + data + "\nstorage.url=" + relay.settings().storageUrl() + "\n");
    }

    @AfterEach
    void stop() throws Exception {
        relay.close();
        archive.close();
        fake.close();
    }

    private long sendDeferred(String subject) throws Exception {
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO shop.example");
            byte[] msg = ("From: seller@shop.example\r\nSubject: " + subject + "\r\n\r\nBody\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            assertThat(s.mail("seller@shop.example", alias, msg)).isEqualTo(Replies.OK.toString());
        }
        long messageId = archive.messages().stream().filter(r -> alias.equals(r.envelopeTo()))
                .mapToLong(Archive.Row::id).max().orElseThrow();
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> archive.queueEntry(messageId).orElseThrow().state().equals("DEFERRED"));
        return archive.queueEntry(messageId).orElseThrow().id();
    }

    private CliIT.Result queue(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "queue";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--config";
        all[args.length + 2] = config.toString();
        return CliIT.run(all);
    }

    @Test
    void listShowRetryDelete() throws Exception {
        long first = sendDeferred("first");
        long second = sendDeferred("second");

        CliIT.Result list = queue("list");
        assertThat(list.code()).isZero();
        assertThat(list.out().lines()).hasSize(2);
        assertThat(list.out()).contains(first + " DEFERRED attempts=1").contains(second + " DEFERRED attempts=1")
                .contains("to=buyer@buyer.example").doesNotContain("seller@shop.example");
        assertThat(queue("list", "--state", "deferred").out().lines()).hasSize(2);
        assertThat(queue("list", "--state", "DELIVERED").out()).isEmpty();

        CliIT.Result show = queue("show", Long.toString(first));
        assertThat(show.code()).isZero();
        assertThat(show.out()).startsWith(first + " DEFERRED").contains("last error: 451 4.3.0");

        // retry: due now, delivered once the smarthost is back
        fake.fault(FakeSmarthost.Fault.NONE);
        CliIT.Result retry = queue("retry", Long.toString(first));
        assertThat(retry.code()).isZero();
        long firstMessage = relayMessage(first);
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> archive.queueEntry(firstMessage).orElseThrow().state().equals("DELIVERED"));
        assertThat(fake.count("Subject: first")).isEqualTo(1);
        assertThat(archive.status(firstMessage)).isEqualTo("DELIVERED");

        // delete: gone from the queue, FAILED in the archive with the reason
        long secondMessage = relayMessage(second);
        CliIT.Result delete = queue("delete", Long.toString(second));
        assertThat(delete.code()).isZero();
        assertThat(archive.queueEntry(secondMessage)).isEmpty();
        assertThat(archive.status(secondMessage)).isEqualTo("FAILED");
        assertThat(archive.events(secondMessage)).contains("operator: deleted by operator");
        assertThat(queue("list").out().lines()).hasSize(1);

        // a delivered entry cannot be deleted or retried; unknown ids are exit code 1
        assertThat(queue("delete", Long.toString(first)).code()).isEqualTo(1);
        assertThat(queue("retry", Long.toString(first)).code()).isEqualTo(1);
        assertThat(queue("show", "999999").code()).isEqualTo(1);
        assertThat(queue("retry", "999999").code()).isEqualTo(1);
        assertThat(queue("delete", "999999").code()).isEqualTo(1);
        assertThat(fake.count("Subject: second")).isZero();
    }

    @Test
    void usageErrorsAreExitTwo() {
        assertThat(queue("list", "--state", "BOGUS").code()).isEqualTo(2);
        assertThat(queue("show").code()).isEqualTo(2);
        assertThat(queue("show", "abc").code()).isEqualTo(2);
        assertThat(queue("frobnicate").code()).isEqualTo(2);
        assertThat(CliIT.run("queue").code()).isEqualTo(2);
        CliIT.Result r = queue("list", "--state", "BOGUS");
        assertThat(r.err().lines()).hasSize(1);
    }

    private long relayMessage(long queueId) {
        return archive.messages().stream().mapToLong(Archive.Row::id)
                .filter(m -> archive.queueEntry(m).map(q -> q.id() == queueId).orElse(false)).findFirst().orElseThrow();
    }
}
