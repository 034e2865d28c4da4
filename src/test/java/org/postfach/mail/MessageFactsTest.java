package org.postfach.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The decoded body text that the rules look at: each text part followed by a line break, up to a limit. */
class MessageFactsTest {
    static MessageFacts parse(String raw) throws Exception {
        return MessageFacts.parse(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void oneTextPartIsItsTextAndALineBreak() throws Exception {
        assertThat(parse("Subject: s\r\n\r\nHallo,\r\nBestellung 302-1234567-1234567\r\n").text())
                .isEqualTo("Hallo,\r\nBestellung 302-1234567-1234567\r\n\n");
        assertThat(parse("Subject: s\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n").text()).isEmpty();
    }

    @Test
    void partsInOrderHtmlAsTextEncodedPartsDecodedAttachmentsLeftOut() throws Exception {
        String html = "<p>Zweiter <b>Teil</b></p>";
        String raw = "Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "Gr=C3=BC=C3=9Fe\r\n"
                + "--b\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(html.getBytes(StandardCharsets.UTF_8)) + "\r\n"
                + "--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=a.txt\r\n\r\nnicht\r\n"
                + "--b\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n\r\nK\u00f6ln\r\n--b--\r\n";
        byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(MessageFacts.parse(bytes).text()).isEqualTo("Grüße\n" + "Zweiter Teil\n" + "Köln\n");
    }

    @Test
    void aLongBodyIsCutAtTheLimitWithItsLineBreaksCounted() throws Exception {
        String first = "a".repeat(MessageFacts.MAX_TEXT - 10);
        String raw = "Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\n" + first + "\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\n" + "b".repeat(100) + "\r\n--b--\r\n";
        String text = parse(raw).text();
        // as many characters as are left below the limit; the line break after the last part goes beyond it
        assertThat(text).isEqualTo(first + "\n" + "b".repeat(9) + "\n");
    }

    /** A stream that says there is {@code said} left, whatever there is. */
    static InputStream claiming(byte[] data, int said) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int available() {
                return said;
            }
        };
    }

    @Test
    void readUpToReadsAllOrTheLimitWhateverAvailableSays() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] data = new byte[random.nextInt(40_000)];
            random.nextBytes(data);
            int max = 1 + random.nextInt(50_000);
            int said = switch (i % 4) {
                case 0 -> data.length;
                case 1 -> random.nextInt(data.length + 1);
                case 2 -> data.length + random.nextInt(1000);
                default -> -1;
            };
            byte[] expected = java.util.Arrays.copyOf(data, Math.min(max, data.length));
            assertThat(BodyText.readUpTo(claiming(data, said), max)).as("size %d, max %d, said %d",
                    data.length, max, said).isEqualTo(expected);
        }
    }
}
