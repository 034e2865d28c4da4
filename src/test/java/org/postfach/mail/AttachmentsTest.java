package org.postfach.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postfach.policy.AttachmentTypes;
import org.postfach.testing.SampleFiles;

/** SPEC §4 attachments: found in the MIME tree, judged by name and by content. Real magic bytes, in memory. */
class AttachmentsTest {
    static String part(String type, String dispositionParams, byte[] content) {
        return "Content-Type: " + type + "\r\n"
                + (dispositionParams == null ? "" : "Content-Disposition: attachment" + dispositionParams + "\r\n")
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(content) + "\r\n";
    }

    static byte[] mixed(String... parts) {
        StringBuilder b = new StringBuilder("From: a@shop.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"zz\"\r\n\r\n--zz\r\nContent-Type: text/plain\r\n\r\nHallo\r\n");
        for (String p : parts) {
            b.append("--zz\r\n").append(p);
        }
        return b.append("--zz--\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    static Optional<String> verdict(byte[] message) {
        Attachments.Scan scan = Attachments.scan(message);
        assertThat(scan.problems()).isEmpty();
        return scan.attachments().stream().map(AttachmentTypes::refusal).flatMap(Optional::stream).findFirst();
    }

    @ParameterizedTest(name = "{0} as {1} -> allowed {3}")
    @CsvSource(delimiter = '|', textBlock = """
            pdf      | rechnung.pdf          | application/pdf          | true
            png      | foto.png              | image/png                | true
            jpeg     | foto.jpg              | image/jpeg               | true
            jpeg     | foto.JPEG             | image/jpeg               | true
            gif      | bild.gif              | image/gif                | true
            tiff     | scan.tif              | image/tiff               | true
            tiff     | scan.tiff             | image/tiff               | true
            bmp      | bild.bmp              | image/bmp                | true
            doc      | brief.doc             | application/msword       | true
            docx     | brief.docx            | application/vnd.openxmlformats-officedocument.wordprocessingml.document | true
            text     | lieferschein.txt      | text/plain               | true
            pdf      | INVOICE.PDF           | application/pdf          | true
            pdf      | rechnung.pdf.         | application/pdf          | true
            exe      | rechnung.pdf          | application/pdf          | false
            exe      | tool.exe              | application/octet-stream | false
            zip      | archiv.zip            | application/zip          | false
            zip      | brief.docx            | application/vnd.openxmlformats-officedocument.wordprocessingml.document | false
            fakedocx | brief.docx            | application/octet-stream | false
            exe      | liesmich.txt          | text/plain               | false
            pdf      | rechnung.pdf.exe      | application/pdf          | false
            sh       | install.sh            | text/plain               | false
            text     | invite.ics            | text/calendar            | false
            png      | foto.jpg              | image/jpeg               | false
            pdf      | rechnung              | application/pdf          | false
            """)
    void judgedByNameAndContent(String kind, String name, String declared, boolean allowed) {
        byte[] m = mixed(part(declared + "; name=\"" + name + "\"", "; filename=\"" + name + "\"", SampleFiles.bytes(kind)));
        Optional<String> refusal = verdict(m);
        assertThat(refusal.isEmpty()).as(kind + " as " + name + ": " + refusal).isEqualTo(allowed);
        refusal.ifPresent(r -> assertThat(r).doesNotContain("\r").doesNotContain("\n"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            pdf  | true
            png  | true
            exe  | false
            zip  | false
            """)
    void anUnnamedPartIsJudgedByItsContent(String kind, boolean allowed) {
        assertThat(verdict(mixed(part("application/octet-stream", null, SampleFiles.bytes(kind)))).isEmpty()).isEqualTo(allowed);
    }

    @Test
    void encodedFileNamesAreDecoded() {
        byte[] rfc2231 = mixed(part("application/pdf", "; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf", SampleFiles.bytes("pdf")));
        assertThat(Attachments.scan(rfc2231).attachments()).singleElement()
                .satisfies(a -> assertThat(a.fileName()).isEqualTo("Rechnung März.pdf"));
        byte[] rfc2047 = mixed(part("application/pdf", "; filename=\"=?UTF-8?Q?Rechnung_M=C3=A4rz.pdf?=\"", SampleFiles.bytes("pdf")));
        assertThat(Attachments.scan(rfc2047).attachments()).singleElement()
                .satisfies(a -> assertThat(a.fileName()).isEqualTo("Rechnung März.pdf"));
        byte[] disguised = mixed(part("application/pdf", "; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf", SampleFiles.exe()));
        assertThat(verdict(disguised)).hasValueSatisfying(r -> assertThat(r).contains("Rechnung März.pdf"));
    }

    static String attachedMessage(String inner) {
        return "Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n" + inner;
    }

    @Test
    void partsInsideAttachedMessagesAreCheckedToo() {
        String innerExe = new String(mixed(part("application/pdf; name=\"a.pdf\"", "; filename=\"a.pdf\"", SampleFiles.exe())),
                StandardCharsets.UTF_8).replace("zz", "inner");
        String innerPdf = new String(mixed(part("application/pdf; name=\"a.pdf\"", "; filename=\"a.pdf\"", SampleFiles.bytes("pdf"))),
                StandardCharsets.UTF_8).replace("zz", "inner");
        assertThat(verdict(mixed(attachedMessage(innerExe)))).isPresent();
        assertThat(verdict(mixed(attachedMessage(innerPdf)))).isEmpty();
        assertThat(Attachments.scan(mixed(attachedMessage(innerPdf))).attachments()).singleElement()
                .satisfies(a -> assertThat(a.path()).isEqualTo("2/rfc822/2"));
    }

    @Test
    void messagesNestedTooDeepAreAProblem() {
        String m = "From: a@b.example\r\nSubject: x\r\n\r\nHallo\r\n";
        for (int i = 0; i < 7; i++) {
            m = "From: a@b.example\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n" + m;
        }
        assertThat(Attachments.scan(m.getBytes(StandardCharsets.UTF_8)).problems()).isNotEmpty();
    }

    @Test
    void inlineImagesAndSignaturesAndBodyTextAreHandled() {
        String related = "Content-Type: multipart/related; boundary=\"rel\"\r\n\r\n--rel\r\nContent-Type: text/html\r\n\r\n"
                + "<img src=\"cid:logo\">\r\n--rel\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(SampleFiles.bytes("png"))
                + "\r\n--rel--\r\n";
        Attachments.Scan scan = Attachments.scan(mixed(related));
        assertThat(scan.attachments()).singleElement().satisfies(a -> assertThat(a.detectedType()).isEqualTo("image/png"));
        assertThat(verdict(mixed(related))).isEmpty();

        String signed = "From: a@b.example\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/signed; "
                + "protocol=\"application/pkcs7-signature\"; boundary=\"sig\"\r\n\r\n--sig\r\nContent-Type: text/plain\r\n\r\n"
                + "Hallo\r\n--sig\r\nContent-Type: application/pkcs7-signature; name=\"smime.p7s\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nMIIBAAYJKoZIhvcNAQcCoIIB\r\n--sig--\r\n";
        assertThat(Attachments.scan(signed.getBytes(StandardCharsets.US_ASCII)).attachments()).isEmpty();

        String plain = "From: a@b.example\r\nSubject: x\r\n\r\nNur Text\r\n";
        String html = "From: a@b.example\r\nSubject: x\r\nContent-Type: text/html\r\n\r\n<p>Nur HTML</p>\r\n";
        assertThat(Attachments.scan(plain.getBytes(StandardCharsets.US_ASCII)).attachments()).isEmpty();
        assertThat(Attachments.scan(html.getBytes(StandardCharsets.US_ASCII)).attachments()).isEmpty();
    }
}
