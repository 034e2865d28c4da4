package org.postfach.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.eclipse.angus.mail.smtp.SMTPOutputStream;
import org.junit.jupiter.api.Test;

/** RFC 5321 4.5.2 dot-stuffing and CRLF lines, as Angus's own data stream writes them, in one pass. */
class DataWriterTest {
    static String written(String message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataWriter.write(message.getBytes(StandardCharsets.ISO_8859_1), out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    static byte[] angus(byte[] message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SMTPOutputStream s = new SMTPOutputStream(out);
        s.write(message);
        s.ensureAtBOL();
        return out.toByteArray();
    }

    @Test
    void aDotThatStartsALineIsDoubledAndNoOtherIs() throws Exception {
        assertThat(written(".first\r\nmid.dle\r\n.\r\n..two\r\nend\r\n"))
                .isEqualTo("..first\r\nmid.dle\r\n..\r\n...two\r\nend\r\n");
    }

    @Test
    void bareLineEndsBecomeCrlfAndTheDataEndsWithOne() throws Exception {
        assertThat(written("a\nb\rc\r\n.d\n.e")).isEqualTo("a\r\nb\r\nc\r\n..d\r\n..e\r\n");
        assertThat(written("")).isEmpty();
        assertThat(written("\r\n")).isEqualTo("\r\n");
    }

    @Test
    void writesWhatAngusWritesForAnyBytes() throws Exception {
        Random random = new Random(4711);
        byte[] alphabet = {'.', '.', '\r', '\n', '\n', 'a', 'b', ' ', 0x7f, (byte) 0xc3};
        for (int n = 0; n < 2000; n++) {
            byte[] message = new byte[random.nextInt(200)];
            int rare = 1 + random.nextInt(30); // dense to sparse line breaks and dots: long runs without one, too
            for (int i = 0; i < message.length; i++) {
                message[i] = random.nextInt(rare) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) 'x';
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DataWriter.write(message, out);
            assertThat(out.toByteArray()).as("message %d", n).isEqualTo(angus(message));
        }
    }

    @Test
    void theConnectionsStreamIsReachedWithThisAngusVersion() {
        assertThat(RawTransport.direct()).as("else every message goes through Angus's slower stream").isTrue();
    }
}
