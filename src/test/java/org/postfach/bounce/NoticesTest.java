package org.postfach.bounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.postfach.mail.Address;

/** The notices the relay sends: well-formed, automatic, bilingual, naming only the alias. */
class NoticesTest {
    static final String ALIAS = "4dhjgx2k9z4hgkn@marketplace.example";
    private final Notices notices = new Notices("marketplace.example");

    MimeMessage render(String kind, Map<String, String> values) throws Exception {
        byte[] raw = notices.render(kind, Address.of("versand@shop-example.de"), "Weinhandel Müller", values,
                Instant.parse("2026-11-24T10:00:00Z"), "tok123");
        assertThat(new String(raw, StandardCharsets.ISO_8859_1)).doesNotContain("\n\n").matches("(?s)[\\x00-\\x7f]*");
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocked-opt-out", "blocked-important-misuse", "delivery-failed", "delivery-delayed"})
    void everyKindRendersAsAnAutomaticBilingualMessage(String kind) throws Exception {
        Notices.Reason r = Notices.reason("5.1.1");
        MimeMessage m = render(kind, Map.of("alias", ALIAS, "subject", "Ihre Bestellung", "tags", "[Wichtig] [Important]",
                "date", "2026-11-24 10:00 UTC", "reason_de", r.de(), "reason_en", r.en()));
        assertThat(m.getHeader("Auto-Submitted")[0]).isEqualTo("auto-generated");
        assertThat(((InternetAddress) m.getFrom()[0]).getAddress()).isEqualTo("no-reply@marketplace.example");
        assertThat(((InternetAddress) m.getRecipients(MimeMessage.RecipientType.TO)[0]).getPersonal())
                .isEqualTo("Weinhandel Müller");
        assertThat(m.getMessageID()).isEqualTo("<tok123@marketplace.example>");
        assertThat(m.getSubject()).contains(ALIAS).contains(" / ");
        String body = m.getContent().toString();
        assertThat(body).contains(ALIAS).contains("Guten Tag").contains("Hello").doesNotContain("{{");
    }

    @Test
    void theOptOutNoticeSaysHowToSendOrderCriticalMail() throws Exception {
        String body = render("blocked-opt-out", Map.of("alias", ALIAS, "subject", "Neue Weine", "tags", "[Wichtig] [Important]"))
                .getContent().toString();
        assertThat(body).contains("[Wichtig] [Important]").contains("reply in the conversation the buyer started")
                .contains("handmade, wine or custom");
    }

    @ParameterizedTest(name = "status [{0}]")
    @CsvSource(delimiter = '|', textBlock = """
            5.1.1 | mailbox does not exist
            5.1.10| mailbox does not exist
            5.2.2 | mailbox is full
            4.2.2 | mailbox is full
            5.3.4 | too large
            5.7.1 | because of its rules
            4.4.1 | cannot be reached for the moment
            5.0.0 | did not accept the message
            ''    | did not accept the message
            """)
    void reasonsArePhrasedFromTheStatusCode(String status, String phrase) {
        assertThat(Notices.reason(status).en()).contains(phrase);
        assertThat(Notices.reason(status).de()).isNotBlank();
    }

    @Test
    void theRemoteDiagnosticIsNeverPartOfAFailureNotice() throws Exception {
        String remote = "mx7.real-buyer-mail.de said: 550 5.1.1 user erika.private@real-buyer-mail.de unknown";
        Notices.Reason r = Notices.reason("5.1.1");
        byte[] raw = notices.render("delivery-failed", Address.of("versand@shop-example.de"), "Shop",
                Map.of("alias", ALIAS, "subject", "Lieferung", "date", "2026-11-24 10:00 UTC", "reason_de", r.de(),
                        "reason_en", r.en()), Instant.now(), "t");
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
        assertThat(m.getContent().toString()).doesNotContain("real-buyer-mail").doesNotContain(remote)
                .contains("does not exist");
    }

    @Test
    void aCraftedSubjectCannotAddAHeader() throws Exception {
        MimeMessage m = render("blocked-opt-out", Map.of("alias", ALIAS,
                "subject", "Hallo\r\nBcc: victim@example.org\r\n\r\nInjected body", "tags", "[Wichtig]"));
        assertThat(m.getHeader("Bcc")).isNull();
        assertThat(m.getContent().toString()).contains("Hallo Bcc: victim@example.org Injected body");
    }

    @Test
    void anUnknownKindIsRefused() {
        assertThatThrownBy(() -> render("no-such-notice", Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> render("../../etc/passwd", Map.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
