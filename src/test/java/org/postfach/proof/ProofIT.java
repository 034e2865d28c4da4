package org.postfach.proof;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.Relay;
import org.postfach.mail.Replies;
import org.postfach.testing.Api;
import org.postfach.testing.Archive;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestRelay;

/** SPEC §7 end to end through the inbound listener: seller and buyer mail must prove its From: domain. */
class ProofIT {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dir;
    Relay relay;
    Api api;
    StubDns dns = new StubDns();
    String sellerAlias;
    String buyerAlias;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir, smarthost.getSmtp().getPort(),
                Map.of("POSTFACH_SMTP_INBOUND_VERIFYSENDERS", "true"), dns);
        api = TestRelay.api(relay);
        sellerAlias = api.seller("s1", "Shop", "sales@shop.example", "cs@shop.example");
        api.buyer("b1", "Berta", "berta@buyer.example");
        buyerAlias = api.order("o-1", "s1", "b1", null);
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    static String message(String from, String to) {
        return "From: " + from + "\r\nTo: " + to + "\r\nSubject: Your order\r\nMessage-ID: <m1@shop.example>\r\n\r\n"
                + "Your parcel is on its way.\r\n";
    }

    String send(String helo, String mailFrom, String to, byte[] message) throws Exception {
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO " + helo);
            return s.mail(mailFrom, to, message);
        }
    }

    String sellerMail() throws Exception {
        return send("mx.shop.example", "sales@shop.example", buyerAlias,
                message("sales@shop.example", buyerAlias).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void spfPassAlignedIsAcceptedAndTheVerdictIsArchivedNotDelivered() throws Exception {
        dns.txt("shop.example", "v=spf1 ip4:127.0.0.1 -all");
        assertThat(sellerMail()).isEqualTo(Replies.OK.toString());
        assertThat(smarthost.waitForIncomingEmail(15_000, 1)).isTrue();
        String delivered = GreenMailUtil.getWholeMessage(smarthost.getReceivedMessages()[0]);
        assertThat(delivered).doesNotContain("spf=").doesNotContain("sender-proof").doesNotContain("aligned");
        try (Archive archive = new Archive(relay)) {
            long id = archive.messages().get(0).id();
            assertThat(archive.events(id))
                    .contains("sender-proof: spf=pass (shop.example) dkim=none aligned=spf from=shop.example");
        }
    }

    @Test
    void noSpfPassAndNoDkimIsRefusedWithAReadableReason() throws Exception {
        dns.txt("shop.example", "v=spf1 -all");
        String reply = sellerMail();
        assertThat(reply).isEqualTo("550 5.7.1 Sender not verified: neither SPF nor DKIM passed for shop.example");
        assertThat(smarthost.waitForIncomingEmail(1_000, 1)).isFalse();
        try (Archive archive = new Archive(relay)) {
            assertThat(archive.messages()).isEmpty();
        }
    }

    @Test
    void dkimAlignedPassesWhenSpfFails() throws Exception {
        dns.txt("shop.example", "v=spf1 -all").dkimKey("s1", "shop.example");
        byte[] signed = StubDns.sign(message("sales@shop.example", buyerAlias), "s1", "shop.example");
        assertThat(send("mx.shop.example", "sales@shop.example", buyerAlias, signed)).isEqualTo(Replies.OK.toString());
        try (Archive archive = new Archive(relay)) {
            assertThat(archive.events(archive.messages().get(0).id()))
                    .contains("sender-proof: spf=fail (shop.example) dkim=pass (d=shop.example) aligned=dkim from=shop.example");
        }
    }

    @Test
    void dnsFailureIsTemporaryNeverARefusal() throws Exception {
        dns.allFail = true;
        assertThat(sellerMail()).isEqualTo(Replies.SENDER_NOT_VERIFIABLE.toString())
                .startsWith("451 4.7.0 Cannot verify the sender right now");
    }

    @Test
    void buyerMailIsCheckedToo() throws Exception {
        String buyerMail = send("mail.buyer.example", "berta@buyer.example", sellerAlias,
                message("berta@buyer.example", sellerAlias).getBytes(StandardCharsets.UTF_8));
        assertThat(buyerMail).isEqualTo("550 5.7.1 Sender not verified: neither SPF nor DKIM passed for buyer.example");
        dns.txt("buyer.example", "v=spf1 ip4:127.0.0.0/8 -all");
        assertThat(send("mail.buyer.example", "berta@buyer.example", sellerAlias,
                message("berta@buyer.example", sellerAlias).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Replies.OK.toString());
    }

    @Test
    void carrierMailIsNotChecked() throws Exception {
        dns.allFail = true; // any look-up would make it 451
        assertThat(send("mailout.dhl.de", "noreply@track.dhl.de", buyerAlias,
                message("noreply@track.dhl.de", buyerAlias).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Replies.OK.toString());
        assertThat(dns.asked).isEqualTo(List.of());
    }
}
