package org.postfach.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** DATA with anything but CRLF line endings is refused; the check sees the data in the chunks it is read in. */
class LineEndingsTest {
    private static boolean bad(String data, int chunkSize) {
        byte[] d = data.getBytes(StandardCharsets.ISO_8859_1);
        DataCommand.LineEndings endings = new DataCommand.LineEndings();
        for (int at = 0; at < d.length; at += chunkSize) {
            byte[] chunk = new byte[chunkSize];
            int n = Math.min(chunkSize, d.length - at);
            System.arraycopy(d, at, chunk, 0, n);
            endings.check(chunk, n);
        }
        return endings.bad();
    }

    /** The byte-by-byte check this one replaced. */
    private static boolean badByBytes(String data) {
        int prev = -1;
        for (int i = 0; i < data.length(); i++) {
            int b = data.charAt(i);
            if (b == 0 || b == '\n' && prev != '\r' || prev == '\r' && b != '\n') {
                return true;
            }
            prev = b;
        }
        return prev == '\r';
    }

    @Test
    void crlfLinesPassAndEveryOtherEndingOrNulIsBad() {
        assertThat(bad("one\r\ntwo\r\n", 4)).isFalse();
        assertThat(bad("", 4)).isFalse();
        assertThat(bad("no end at all", 4)).as("DATA's own CRLF ends the last line").isFalse();
        assertThat(bad("one\ntwo\r\n", 4)).isTrue();
        assertThat(bad("one\rtwo\r\n", 4)).isTrue();
        assertThat(bad("one\r\r\n", 4)).isTrue();
        assertThat(bad("one\u0000two\r\n", 64)).isTrue();
        assertThat(bad("ends in CR\r", 64)).isTrue();
        assertThat(bad("split\r\n", 6)).as("a CRLF split across two chunks").isFalse();
    }

    @Test
    void agreesWithTheByteByByteCheckForAnyDataAndChunkSize() {
        Random random = new Random(77);
        char[] alphabet = {'\r', '\n', '\r', '\n', 0, 'a', '.'};
        for (int round = 0; round < 20_000; round++) {
            StringBuilder data = new StringBuilder();
            int rare = 1 + random.nextInt(40);
            for (int i = random.nextInt(120); i > 0; i--) {
                data.append(random.nextInt(rare) == 0 ? alphabet[random.nextInt(alphabet.length)] : 'x');
            }
            String s = random.nextBoolean() ? data.toString().replace("\r", "\r\n").replace("\n\n", "\n")
                    : data.toString(); // mostly good data too, so that a late bad ending is looked for
            assertThat(bad(s, 1 + random.nextInt(20))).as("%s", s.replace("\r", "\\r").replace("\n", "\\n"))
                    .isEqualTo(badByBytes(s));
        }
    }
}
