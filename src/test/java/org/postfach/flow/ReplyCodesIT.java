package org.postfach.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.Relay;
import org.postfach.mail.Replies;
import org.postfach.testing.Api;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestRelay;

/** SPEC §3: the refusals of the relay gate, each with its exact reply and enhanced status code. */
class ReplyCodesIT {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dir;
    Relay relay;
    Api api;
    String sellerA;
    String sellerB;
    String buyerAliasA;
    String buyerAliasB;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir, smarthost.getSmtp().getPort(), Map.of());
        api = TestRelay.api(relay);
        sellerA = api.seller("a", "Shop A", "a@shop-a.example", "cs@shop-a.example");
        sellerB = api.seller("b", "Shop B", "b@shop-b.example", "cs@shop-b.example");
        api.buyer("x", "Xaver", "xaver@buyer.example");
        buyerAliasA = api.order("o-a", "a", "x", null);
        buyerAliasB = api.order("o-b", "b", "x", null);
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    String rcpt(String from, String to) throws Exception {
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO client.example");
            SmtpDialogue.expect(s.send("MAIL FROM:<" + from + ">"), "250");
            return s.send("RCPT TO:<" + to + ">");
        }
    }

    @Test
    void neverAnOpenRelay() throws Exception {
        assertThat(rcpt("a@shop-a.example", "someone@gmail.example")).isEqualTo(Replies.RELAY_DENIED.toString());
        assertThat(rcpt("stranger@evil.example", "someone@gmail.example")).isEqualTo(Replies.RELAY_DENIED.toString());
        assertThat(rcpt("xaver@buyer.example", "a@shop-a.example")).isEqualTo(Replies.RELAY_DENIED.toString());
        assertThat(Replies.RELAY_DENIED.toString()).startsWith("550 5.7.1 ");
    }

    @Test
    void unknownForeignAndDisabledAliasesGetTheSameAnswer() throws Exception {
        String unknown = rcpt("a@shop-a.example", "zzzzzzzzzzzzzzz@marketplace.example");
        assertThat(unknown).isEqualTo(Replies.NO_SUCH_RECIPIENT.toString()).startsWith("550 5.1.1 ");
        assertThat(rcpt("a@shop-a.example", buyerAliasB)).as("another seller's buyer").isEqualTo(unknown);
        api.ok("PATCH", "/api/sellers/b", "{\"disabled\":true}");
        assertThat(rcpt("xaver@buyer.example", sellerB)).as("disabled seller").isEqualTo(unknown);
    }

    @Test
    void unregisteredSenderIsRefused() throws Exception {
        assertThat(rcpt("stranger@evil.example", buyerAliasA)).isEqualTo(Replies.SENDER_NOT_AUTHORIZED.toString())
                .startsWith("550 5.7.1 ");
        assertThat(rcpt("stranger@evil.example", sellerA)).isEqualTo(Replies.SENDER_NOT_AUTHORIZED.toString());
        // an unknown sender learns nothing about which aliases exist
        assertThat(rcpt("stranger@evil.example", "zzzzzzzzzzzzzzz@marketplace.example"))
                .isEqualTo(Replies.SENDER_NOT_AUTHORIZED.toString());
    }

    @Test
    void sellersMayNotContactSellers() throws Exception {
        assertThat(rcpt("a@shop-a.example", sellerB)).isEqualTo(Replies.SELLER_TO_SELLER.toString())
                .startsWith("550 5.7.1 ");
    }

    @Test
    void theNullSenderAndBadSyntaxAreRefused() throws Exception {
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO client.example");
            SmtpDialogue.expect(s.send("MAIL FROM:<>"), "250");
            assertThat(s.send("RCPT TO:<" + buyerAliasA + ">")).isEqualTo(Replies.NULL_SENDER_REFUSED.toString());
            s.send("RSET");
            SmtpDialogue.expect(s.send("MAIL FROM:<a@shop-a.example>"), "250");
            assertThat(s.send("RCPT TO:<not an address>")).startsWith("5");
        }
    }

    @Test
    void aFromHeaderOfSomeoneElseIsRefusedAfterDataAndTheSessionStaysUsable() throws Exception {
        byte[] forged = ("From: other@elsewhere.example\r\nSubject: hi\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] good = ("From: a@shop-a.example\r\nSubject: hi\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO client.example");
            assertThat(s.mail("a@shop-a.example", buyerAliasA, forged))
                    .isEqualTo(Replies.FROM_NOT_AUTHORIZED.toString()).startsWith("550 5.7.1 ");
            // no RSET needed: the refused transaction is over, the next one works normally
            assertThat(s.mail("a@shop-a.example", buyerAliasA, good)).isEqualTo(Replies.OK.toString());
        }
        assertThat(smarthost.waitForIncomingEmail(15_000, 1)).isTrue();
        assertThat(smarthost.getReceivedMessages()).hasSize(1);
    }
}
