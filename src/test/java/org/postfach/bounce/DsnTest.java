package org.postfach.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading what arrives at a bounce address: DSNs, prose bounces, auto-replies, garbage. */
class DsnTest {
    static String report(String type, String groups) {
        return "From: MAILER-DAEMON@mx.example\r\nSubject: Delivery Status Notification\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nThis is the mail system.\r\n"
                + "--b\r\nContent-Type: " + type + "\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n" + groups + "\r\n"
                + "--b--\r\n";
    }

    static String group(String action, String status) {
        return "Final-Recipient: rfc822; someone@example.org\r\nAction: " + action + "\r\nStatus: " + status
                + "\r\nDiagnostic-Code: smtp; 550 remote text\r\n\r\n";
    }

    static String plain(String headers, String body) {
        return "From: postmaster@mx.example\r\n" + headers + "\r\n\r\n" + body + "\r\n";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            postfix failed 5.1.1          | FAILED    | 5.1.1
            delayed 4.4.1                 | DELAYED   | 4.4.1
            exchange 5.1.10               | FAILED    | 5.1.10
            global delivery status        | FAILED    | 5.2.2
            two recipients, one failed    | FAILED    | 5.1.1
            delivered report              | DELIVERED | 2.0.0
            qmail prose                   | FAILED    | 5.1.1
            prose with smtp code only     | FAILED    | 5.0.0
            auto-submitted auto-reply     | AUTO_REPLY|
            abwesenheitsnotiz subject     | AUTO_REPLY|
            out of office subject         | AUTO_REPLY|
            x-autoreply header            | AUTO_REPLY|
            an ordinary message           | UNKNOWN   |
            """)
    void classifies(String name, Dsn.Kind kind, String status) {
        String raw = switch (name) {
            case "postfix failed 5.1.1" -> report("message/delivery-status", group("failed", "5.1.1"));
            case "delayed 4.4.1" -> report("message/delivery-status", group("delayed", "4.4.1"));
            case "exchange 5.1.10" -> report("message/delivery-status", group("failed", "5.1.10"));
            case "global delivery status" -> report("message/global-delivery-status", group("failed", "5.2.2"));
            case "two recipients, one failed" -> report("message/delivery-status",
                    group("delivered", "2.0.0") + group("failed", "5.1.1"));
            case "delivered report" -> report("message/delivery-status", group("delivered", "2.0.0"));
            case "qmail prose" -> plain("Subject: failure notice", "Hi. This is the qmail-send program at mx.example.\r\n"
                    + "<x@example.org>:\r\nSorry, no mailbox here by that name. (#5.1.1)");
            case "prose with smtp code only" -> plain("Subject: Undelivered Mail Returned to Sender",
                    "host mx.example said: 550 user unknown");
            case "auto-submitted auto-reply" -> plain("Subject: Re: Hallo\r\nAuto-Submitted: auto-replied", "Bin weg.");
            case "abwesenheitsnotiz subject" -> plain("Subject: Abwesenheitsnotiz: Hallo", "Bin weg.");
            case "out of office subject" -> plain("Subject: Out of Office: Hallo", "Away.");
            case "x-autoreply header" -> plain("Subject: Re: Hallo\r\nX-Autoreply: yes", "Away.");
            default -> plain("Subject: Hallo", "Just a message.");
        };
        Dsn.Report r = Dsn.read(raw.getBytes(StandardCharsets.UTF_8));
        assertThat(r.kind()).as(name).isEqualTo(kind);
        assertThat(r.status()).isEqualTo(status == null ? "" : status);
    }

    @Test
    void theDiagnosticIsKeptForTheArchiveOnly() {
        Dsn.Report r = Dsn.read(report("message/delivery-status", group("failed", "5.1.1")).getBytes(StandardCharsets.UTF_8));
        assertThat(r.recipients()).singleElement().satisfies(s -> assertThat(s.diagnostic()).isEqualTo("smtp; 550 remote text"));
    }

    @Test
    void garbageIsUnknownAndNeverThrows() {
        assertThat(Dsn.read(new byte[] {0, 1, 2, (byte) 0xff, '\r', '\n'}).kind()).isEqualTo(Dsn.Kind.UNKNOWN);
        assertThat(Dsn.read(new byte[0]).kind()).isEqualTo(Dsn.Kind.UNKNOWN);
        assertThat(Dsn.read("Content-Type: multipart/report; boundary=\"x\"\r\n\r\n--x\r\nbroken".getBytes(StandardCharsets.UTF_8))
                .kind()).isEqualTo(Dsn.Kind.UNKNOWN);
    }
}
