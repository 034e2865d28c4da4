package org.postfach.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SPEC §10: the in-mail actions go at the end of the first text and the first HTML part, and nowhere else. */
class FooterTest {
    private final ContactRedactor redactor = new ContactRedactor("marketplace.example", "DE");
    private final Footer footer = Footer.actions("https://m.example/action/N", "https://m.example/action/R&x");

    String redacted(String message) {
        return new String(redactor.redact(message.getBytes(StandardCharsets.UTF_8), footer).message(),
                StandardCharsets.UTF_8);
    }

    @Test
    void theTextGetsTheLinksAfterASignatureSeparatorOnALineOfItsOwn() {
        assertThat(redacted("Subject: x\r\n\r\nHallo")).isEqualTo("Subject: x\r\n\r\nHallo\r\n\r\n" + footer.text());
        assertThat(redacted("Subject: x\r\n\r\nHallo\r\n")).isEqualTo("Subject: x\r\n\r\nHallo\r\n\r\n" + footer.text());
        assertThat(footer.text()).startsWith("-- \r\n").contains("https://m.example/action/N\r\n");
    }

    @Test
    void theHtmlGetsThemInsideItsBodyWhereverItEnds() {
        String head = "Content-Type: text/html; charset=UTF-8\r\n\r\n";
        assertThat(redacted(head + "<HTML><BODY><p>Hallo</p></BODY></HTML>"))
                .isEqualTo(head + "<HTML><BODY><p>Hallo</p>" + footer.html() + "</BODY></HTML>");
        assertThat(redacted(head + "<p>Hallo</p></html>")).isEqualTo(head + "<p>Hallo</p>" + footer.html() + "</html>");
        assertThat(redacted(head + "<p>Hallo</p>")).isEqualTo(head + "<p>Hallo</p>" + footer.html());
        assertThat(footer.html()).contains("href=\"https://m.example/action/R&amp;x\"").doesNotContain("R&x");
    }

    @Test
    void onlyTheFirstTextAndHtmlPartsAndNoAttachmentOrAttachedMessage() {
        String message = "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nEins\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nZwei\r\n"
                + "--b\r\nContent-Type: text/plain; name=notiz.txt\r\nContent-Disposition: attachment\r\n\r\nDrei\r\n"
                + "--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: alt\r\n\r\nVier\r\n"
                + "--b--\r\n";
        String out = redacted(message);
        assertThat(out.split("action/N", -1)).hasSize(2); // once
        assertThat(out).contains("Eins\r\n\r\n-- \r\n").contains("\r\nZwei\r\n--b").contains("\r\nDrei\r\n--b")
                .contains("\r\nVier\r\n--b--");
        // without a footer the redactor leaves a message without contact details as it is: the very same array
        byte[] plain = message.getBytes(StandardCharsets.UTF_8);
        assertThat(redactor.redact(plain).message()).isSameAs(plain);
    }
}
