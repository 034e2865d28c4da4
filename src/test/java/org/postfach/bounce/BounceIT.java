package org.postfach.bounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postfach.testing.Privacy.assertNoRealAddress;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
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

/** SPEC §3.4 end to end: reports arrive at the signed bounce address of a relayed message. */
class BounceIT {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static final String SELLER = "versand@shop-example.de";
    static final String BUYER = "erika.private@real-buyer-mail.de";
    static final String REMOTE_TEXT = "mx7.real-buyer-mail.de said: 550 5.1.1 <erika.private@real-buyer-mail.de>: user unknown";

    @TempDir
    Path dir;
    Relay relay;
    Api api;
    String buyerAlias;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir, smarthost.getSmtp().getPort(), Map.of());
        api = TestRelay.api(relay);
        api.seller("s1", "Shop", SELLER, "service@shop-example.de");
        api.buyer("b1", "Erika", BUYER);
        buyerAlias = api.order("302-1111111-1111111", "s1", "b1", null);
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    /** Sends a seller message and answers the bounce address it went out with. */
    String relayOne(String subject) throws Exception {
        int before = smarthost.getReceivedMessages().length;
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO shop-example.de");
            assertThat(s.mail(SELLER, buyerAlias, ("From: " + SELLER + "\r\nSubject: " + subject + "\r\n\r\nHallo\r\n")
                    .getBytes(StandardCharsets.UTF_8))).startsWith("250");
        }
        MimeMessage m = waitFor(before + 1);
        return m.getHeader("Return-Path")[0].replaceAll("[<>]", "");
    }

    MimeMessage waitFor(int count) {
        assertThat(smarthost.waitForIncomingEmail(15_000, count)).as(count + " messages").isTrue();
        MimeMessage[] all = smarthost.getReceivedMessages();
        return all[count - 1];
    }

    static byte[] dsn(String bounceAddress, String action, String status, String diagnostic) {
        return ("From: Mail Delivery System <MAILER-DAEMON@mx7.real-buyer-mail.de>\r\n"
                + "To: " + bounceAddress + "\r\nSubject: Undelivered Mail Returned to Sender\r\n"
                + "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"dsn\"\r\n\r\n"
                + "--dsn\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered to "
                + "<erika.private@real-buyer-mail.de>.\r\n"
                + "--dsn\r\nContent-Type: message/delivery-status\r\n\r\n"
                + "Reporting-MTA: dns; mx7.real-buyer-mail.de\r\n\r\n"
                + "Final-Recipient: rfc822; erika.private@real-buyer-mail.de\r\nAction: " + action + "\r\n"
                + "Status: " + status + "\r\nDiagnostic-Code: smtp; " + diagnostic + "\r\n\r\n"
                + "--dsn\r\nContent-Type: text/rfc822-headers\r\n\r\nSubject: Hallo\r\n\r\n--dsn--\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    String report(String bounceAddress, byte[] dsn) throws Exception {
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO mx7.real-buyer-mail.de");
            return s.mail("", bounceAddress, dsn);
        }
    }

    static String to(MimeMessage m) throws Exception {
        return ((InternetAddress) m.getAllRecipients()[0]).getAddress();
    }

    @Test
    void aPermanentFailureMarksTheMessageFailedAndTheSellerLearnsWithoutTheRealAddress() throws Exception {
        String bounce = relayOne("Ihre Lieferung");
        assertThat(report(bounce, dsn(bounce, "failed", "5.1.1", REMOTE_TEXT))).startsWith("250 2.0.0");
        MimeMessage notice = waitFor(2);
        assertThat(to(notice)).isEqualTo(SELLER);
        String body = notice.getContent().toString();
        assertThat(body).contains(buyerAlias).contains("Ihre Lieferung").contains("does not exist");
        assertNoRealAddress(notice, BUYER, "real-buyer-mail", "user unknown", "mx7");
        try (Archive archive = new Archive(relay)) {
            List<Archive.Row> rows = archive.messages();
            assertThat(rows).extracting(Archive.Row::route).containsExactly("seller-to-buyer", "bounce", "notice");
            assertThat(rows.get(0).status()).isEqualTo("FAILED");
            assertThat(archive.events(rows.get(0).id())).containsExactly("delivery-report: failed 5.1.1");
            assertThat(archive.forms(rows.get(1).id())).containsExactly("ORIGINAL"); // the remote text is kept here
        }
    }

    @Test
    void aDelayIsNotedOnceAndTheMessageStaysAlive() throws Exception {
        String bounce = relayOne("Lieferung");
        String delay = "mx7.real-buyer-mail.de: 451 4.4.1 try later";
        assertThat(report(bounce, dsn(bounce, "delayed", "4.4.1", delay))).startsWith("250");
        MimeMessage notice = waitFor(2);
        assertThat(to(notice)).isEqualTo(SELLER);
        assertThat(notice.getContent().toString()).contains(buyerAlias).contains("keep trying");
        assertNoRealAddress(notice, BUYER, "real-buyer-mail");
        assertThat(report(bounce, dsn(bounce, "delayed", "4.4.1", delay))).startsWith("250");
        try (Archive archive = new Archive(relay)) {
            List<Archive.Row> rows = archive.messages();
            assertThat(rows).extracting(Archive.Row::route)
                    .containsExactly("seller-to-buyer", "bounce", "notice", "bounce"); // one notice only
            assertThat(rows.get(0).status()).isNotEqualTo("FAILED");
        }
    }

    @Test
    void forgedOrUnsignedBounceAddressesAnswerLikeUnknownAliases() throws Exception {
        String bounce = relayOne("Hallo");
        String forged = bounce.replaceFirst("\\.[0-9a-f]{16}@", ".0000000000000000@");
        String unsigned = bounce.replaceFirst("\\.[0-9a-f]{16}@", "@");
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO mx.example");
            SmtpDialogue.expect(s.send("MAIL FROM:<>"), "250");
            assertThat(s.send("RCPT TO:<" + forged + ">")).isEqualTo(Replies.NO_SUCH_RECIPIENT.toString());
            assertThat(s.send("RCPT TO:<" + unsigned + ">")).isEqualTo(Replies.NO_SUCH_RECIPIENT.toString());
            assertThat(s.send("RCPT TO:<bounce+x@marketplace.example>")).isEqualTo(Replies.NO_SUCH_RECIPIENT.toString());
        }
    }

    @Test
    void aBounceOfANoticeIsRecordedAndNeverAnswered() throws Exception {
        api.ok("PATCH", "/api/buyers/b1", "{\"optedOut\":true}");
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO shop-example.de");
            assertThat(s.mail(SELLER, buyerAlias, ("From: " + SELLER + "\r\nSubject: Angebot\r\n\r\nNeu!\r\n")
                    .getBytes(StandardCharsets.UTF_8))).startsWith("250");
        }
        MimeMessage notice = waitFor(1);
        String bounce = notice.getHeader("Return-Path")[0].replaceAll("[<>]", "");
        assertThat(report(bounce, dsn(bounce, "failed", "5.1.1", "no such user " + SELLER))).startsWith("250");
        try (Archive archive = new Archive(relay)) {
            List<Archive.Row> rows = archive.messages();
            assertThat(rows).extracting(Archive.Row::route).containsExactly("seller-to-buyer", "notice", "bounce");
            assertThat(rows.get(1).status()).isEqualTo("FAILED");
        }
    }

    @Test
    void anAutoReplyAtTheBounceAddressIsKeptButNotAnswered() throws Exception {
        String bounce = relayOne("Hallo");
        byte[] ooo = ("From: " + BUYER + "\r\nSubject: Abwesenheitsnotiz: Hallo\r\nAuto-Submitted: auto-replied\r\n\r\n"
                + "Ich bin bis Montag nicht im Büro.\r\n").getBytes(StandardCharsets.UTF_8);
        assertThat(report(bounce, ooo)).startsWith("250");
        try (Archive archive = new Archive(relay)) {
            assertThat(archive.messages()).extracting(Archive.Row::route).containsExactly("seller-to-buyer", "bounce");
            assertThat(archive.events(archive.messages().get(0).id())).containsExactly("delivery-report: auto_reply");
        }
    }
}
