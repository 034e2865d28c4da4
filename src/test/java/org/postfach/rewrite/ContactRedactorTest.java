package org.postfach.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPEC §4 contact details: removed from body text in any charset and encoding; everything else untouched. */
class ContactRedactorTest {
    private final ContactRedactor redactor = new ContactRedactor("marketplace.example", "DE");

    String text(String s) {
        return redactor.redactText(s, "subject", new ArrayList<>());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Schreiben Sie an max.mustermann@web-example.de bitte               | Schreiben Sie an [removed] bitte
            Mail: INFO@Shop-Example.DE.                                        | Mail: [removed].
            <kontakt+shop@mail.shop-example.co.uk>                             | <[removed]>
            jürgen.müller@beispiel-shop.de                                     | [removed]
            max(at)shop-example(dot)de                                         | [removed]
            max [at] shop-example [dot] de                                     | [removed]
            max{at}shop-example.de                                             | [removed]
            Rufen Sie an: +49 171 2345678                                      | Rufen Sie an: [removed]
            Tel. 0171/2345678, abends                                          | Tel. [removed], abends
            Festnetz (030) 123 456 78                                          | Festnetz [removed]
            US office +1 (650) 253-0000                                        | US office [removed]
            Fax: 089 12345678                                                  | Fax: [removed]
            mobil 0151-23456789 oder mail@shop-example.de                      | mobil [removed] oder [removed]
            """)
    void removesContactDetails(String in, String out) {
        assertThat(text(in)).isEqualTo(out);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Ihre Bestellung 302-1234567-1234567 ist unterwegs
            Bestellnummer: 028-9876543-2109876
            Lieferung am 24.11.2026 zwischen 10:00 und 14:00
            Datum 2026-11-24
            Preis: 1.299,00 EUR, Versand 4,99 €
            Price 1,299.00 USD
            10115 Berlin, Hauptstraße 5
            Sendungsnummer 00340434161234567890
            UPS 1Z999AA10123456784
            DHL JJD000390007880938434
            IBAN DE89 3704 0044 0532 0130 00
            Antworten Sie an 4dhjgx2k9z4hgkn@marketplace.example
            Menge: 12 Stück, Artikel 4711
            """)
    void keepsWhatIsNotAContactDetail(String in) {
        assertThat(text(in)).isEqualTo(in);
    }

    static byte[] single(String type, String cte, byte[] body) {
        byte[] head = ("From: a@shop.example\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: " + type
                + "\r\nContent-Transfer-Encoding: " + cte + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    static MimeMessage parse(byte[] raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            UTF-8        | 8bit
            UTF-8        | quoted-printable
            UTF-8        | base64
            ISO-8859-1   | 8bit
            ISO-8859-1   | quoted-printable
            ISO-8859-1   | base64
            windows-1252 | quoted-printable
            ISO-8859-15  | base64
            """)
    void anyCharsetAndTransferEncoding(String charset, String cte) throws Exception {
        String text = "Grüße aus Köln – Tel. +49 221 1234567, Mail hans.müller@koeln-example.de. Schöne Grüße\r\n";
        if (!Charset.forName(charset).newEncoder().canEncode(text)) {
            text = text.replace("–", "-");
        }
        byte[] content = text.getBytes(charset);
        byte[] body = switch (cte) {
            case "base64" -> (Base64.getMimeEncoder().encodeToString(content) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            case "quoted-printable" -> TransferEncoding.encodeQuotedPrintable(content);
            default -> content;
        };
        ContactRedactor.Result r = redactor.redact(single("text/plain; charset=" + charset, cte, body));
        assertThat(r.removals()).containsExactlyInAnyOrder(new ContactRedactor.Removal("phone", "text/plain"),
                new ContactRedactor.Removal("email", "text/plain"));
        MimeMessage m = parse(r.message());
        String got = m.getContent().toString();
        assertThat(got).doesNotContain("1234567").doesNotContain("koeln-example").contains("Grüße aus Köln")
                .contains("Tel. [removed], Mail [removed]. Schöne Grüße");
        assertThat(m.getHeader("Content-Transfer-Encoding")[0]).isEqualTo(cte);
    }

    @Test
    void aMessageWithoutContactDetailsIsTheSameArray() {
        byte[] raw = single("text/plain; charset=UTF-8", "8bit",
                "Ihre Bestellung 302-1234567-1234567 kommt am 24.11.2026.\r\n".getBytes(StandardCharsets.UTF_8));
        ContactRedactor.Result r = redactor.redact(raw);
        assertThat(r.message()).isSameAs(raw);
        assertThat(r.changed()).isFalse();
    }

    static final String ATTACHMENT_TEXT = "Kontakt: max.mustermann@web-example.de, +49 171 2345678\r\n";
    static final String FORWARDED = "From: other@x.example\r\nSubject: fwd\r\n\r\nwrite to cc.colleague@shop-example.de\r\n";

    static byte[] mixed() {
        String html = "<html><body><p>Fragen? <a href=\"mailto:max.mustermann@web-example.de\">max.mustermann@web-example.de</a>"
                + " oder <a href=\"tel:+491712345678\">Anrufen</a>, <span title=\"support@helpdesk-example.com\">Hilfe</span>."
                + " Bestellung 302-1234567-1234567.</p></body></html>";
        return ("From: a@shop.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\nThis is a preamble.\r\n"
                + "--outer\r\nContent-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n"
                + "--inner\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "Fragen? max.mustermann@web-example.de oder +49 171 2345678.\r\n"
                + "--inner\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(html.getBytes(StandardCharsets.UTF_8)) + "\r\n"
                + "--inner--\r\n"
                + "--outer\r\nContent-Type: text/plain; charset=UTF-8; name=\"kontakt.txt\"\r\n"
                + "Content-Disposition: attachment; filename=\"kontakt.txt\"\r\n\r\n" + ATTACHMENT_TEXT
                + "--outer\r\nContent-Type: message/rfc822\r\n\r\n" + FORWARDED
                + "--outer--\r\nepilogue\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void plainAndHtmlPartsAreCleanedAttachmentsAndAttachedMessagesStayByteForByte() throws Exception {
        byte[] raw = mixed();
        ContactRedactor.Result r = redactor.redact(raw);
        String out = new String(r.message(), StandardCharsets.UTF_8);
        assertThat(out).contains(ATTACHMENT_TEXT).contains(FORWARDED).contains("This is a preamble.\r\n")
                .endsWith("--outer--\r\nepilogue\r\n");
        MimeMessage m = parse(r.message());
        Multipart outer = (Multipart) m.getContent();
        Multipart alt = (Multipart) outer.getBodyPart(0).getContent();
        String plain = alt.getBodyPart(0).getContent().toString();
        String html = alt.getBodyPart(1).getContent().toString();
        assertThat(plain).isEqualTo("Fragen? [removed] oder [removed].");
        assertThat(html).doesNotContain("web-example").doesNotContain("mailto").doesNotContain("tel:")
                .doesNotContain("helpdesk-example").contains("302-1234567-1234567").contains("Anrufen");
        BodyPart attachment = outer.getBodyPart(1);
        assertThat(attachment.getFileName()).isEqualTo("kontakt.txt");
        assertThat(r.removals()).extracting(ContactRedactor.Removal::where).containsExactly("text/plain", "text/plain",
                "text/html link", "text/html", "text/html link", "text/html");
        assertThat(r.removals()).extracting(ContactRedactor.Removal::kind)
                .containsExactly("email", "phone", "email", "email", "phone", "email");
    }

    /**
     * A changed message differs from what came only where something was removed: headers, preamble, delimiters,
     * untouched parts, a last part without its closing delimiter and the epilogue stay byte for byte.
     */
    /** A changed HTML part is written as the HTML parser gives it back. */
    static final String CLEANED_HTML = "<html><head></head><body><p>Mail: [removed]</p></body></html>";

    @Test
    void aChangedMessageDiffersOnlyWhereSomethingWasRemoved() {
        String raw = "From: a@shop.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\npreamble +49 171 2345678\r\n"
                + "--outer \r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nRufen Sie +49 171 2345678 an.\r\n"
                + "--outer\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nNichts zu entfernen.\r\n"
                + "--outer\r\nContent-Type: application/octet-stream\r\n\r\nmax@web-example.de\r\n"
                + "--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n"
                + "--inner\r\nContent-Type: text/html\r\n\r\n<p>Mail: max@web-example.de</p>\r\n"
                + "--inner\r\nContent-Type: text/plain\r\n\r\nMail: max@web-example.de, Ende"; // no delimiters
        String tail = "\r\n--outer--\r\nepilogue max@web-example.de\r\n";
        ContactRedactor.Result r = redactor.redact((raw + "\r\n--inner--" + tail).getBytes(StandardCharsets.UTF_8));
        String expected = (raw + "\r\n--inner--" + tail)
                .replace("Rufen Sie +49 171 2345678 an.", "Rufen Sie [removed] an.")
                .replace("<p>Mail: max@web-example.de</p>", CLEANED_HTML)
                .replace("Mail: max@web-example.de, Ende", "Mail: [removed], Ende");
        assertThat(new String(r.message(), StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(r.removals()).extracting(ContactRedactor.Removal::kind).containsExactly("phone", "email", "email");

        byte[] unclosed = raw.getBytes(StandardCharsets.UTF_8); // both closing delimiters missing
        assertThat(new String(redactor.redact(unclosed).message(), StandardCharsets.UTF_8))
                .isEqualTo(raw.replace("Rufen Sie +49 171 2345678 an.", "Rufen Sie [removed] an.")
                        .replace("<p>Mail: max@web-example.de</p>", CLEANED_HTML)
                        .replace("Mail: max@web-example.de, Ende", "Mail: [removed], Ende"));
    }

    @Test
    void removalsNeverCarryTheRemovedValue() {
        List<ContactRedactor.Removal> sink = new ArrayList<>();
        redactor.redactText("max.mustermann@web-example.de +49 171 2345678", "subject", sink);
        assertThat(sink.toString()).doesNotContain("web-example").doesNotContain("2345678");
        assertThat(sink).hasSize(2);
    }
}
