package org.postfach.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The first empty line ends the header block, with CRLF or LF line ends, also in a part inside a message. */
class MessageBytesTest {
    static int body(String s) {
        byte[] d = s.getBytes(StandardCharsets.ISO_8859_1);
        return MessageBytes.bodyStart(d, 0, d.length);
    }

    @Test
    void theBodyStartsAfterTheFirstEmptyLine() {
        assertThat(body("A: 1\r\nB: 2\r\n\r\nbody\r\n\r\nmore")).isEqualTo(14);
        assertThat(body("A: 1\nB: 2\n\nbody")).isEqualTo(11);
        assertThat(body("A: 1\n\r\nbody")).isEqualTo(7);
        assertThat(body("\r\nbody")).isEqualTo(2);
        assertThat(body("\nbody")).isEqualTo(1);
        assertThat(body("A: 1\r\nB: \r2\r\n")).as("no empty line: no body").isEqualTo(13);
        byte[] d = "xxA: 1\r\n\r\nbodyyy".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(MessageBytes.blankLine(d, 2, d.length)).isEqualTo(8);
        assertThat(MessageBytes.bodyStart(d, 2, 8)).as("the range ends before the empty line").isEqualTo(8);
    }
}
