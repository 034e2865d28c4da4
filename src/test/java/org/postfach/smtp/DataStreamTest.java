package org.postfach.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.subethamail.smtp.internal.io.DotTerminatedInputStream;
import org.subethamail.smtp.internal.io.DotUnstuffingInputStream;

/** DATA's end and dot-unstuffing, read in blocks without reading past the terminator (RFC 5321 4.5.2). */
class DataStreamTest {
    private static final String NEXT = "MAIL FROM:<next@example.com>\r\n";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("ends at the terminator", "Subject: x\r\n\r\nline\r\n..dot\r\n.\r\n", 8192,
                        "Subject: x\r\n\r\nline\r\n.dot\r\n"),
                Arguments.of("an empty message is just the terminator", ".\r\n", 100, ""),
                Arguments.of("the first line is unstuffed too", "..From a dot\r\n.\r\n", 64, ".From a dot\r\n"),
                Arguments.of("a dot line that is not the terminator loses only its dot", "a\r\n.\rb\r\n.x\r\n.\r\n", 1,
                        "a\r\n\rb\r\nx\r\n"));
    }

    /** DATA from {@code data}, read {@code readSize} bytes at a time; the next command after it stays unread. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsDataAndLeavesTheNextCommandUnread(String name, String data, int readSize, String expected)
            throws IOException {
        InputStream raw = connection(data + NEXT, 64);
        assertThat(readAll(new DataStream(raw), readSize)).isEqualTo(expected);
        assertThat(rest(raw)).isEqualTo(NEXT);
    }

    @Test
    void aConnectionThatEndsInsideDataIsAnError() {
        assertThatThrownBy(() -> readAll(new DataStream(connection("text\r\n.", 64)), 10))
                .isInstanceOf(EOFException.class);
    }

    /** The same bytes as SubEtha's two streams give (first line aside), for any input, buffer size and read size. */
    @Test
    void agreesWithByteWiseReadingOnRandomInput() throws IOException {
        Random random = new Random(20261207);
        char[] alphabet = {'.', '.', '\r', '\n', '\r', '\n', 'a', 'b'};
        for (int round = 0; round < 3000; round++) {
            StringBuilder body = new StringBuilder();
            int length = random.nextInt(200);
            for (int i = 0; i < length; i++) {
                body.append(alphabet[random.nextInt(alphabet.length)]);
                if (random.nextInt(4) == 0) {
                    body.append("abcdefghijklmnopqrstuvwxyz", 0, random.nextInt(27)); // runs read in one go
                }
            }
            String data = body + "\r\n.\r\n" + NEXT;
            // SubEtha does not unstuff the very first line; with a line end in front it does, as RFC 5321 wants
            String expected = readAll(new DotUnstuffingInputStream(new DotTerminatedInputStream(
                    connection("\r\n" + data, 8192))), 1).substring(2);
            InputStream raw = connection(data, 1 + random.nextInt(40));
            String got = readAll(new DataStream(raw), 1 + random.nextInt(30));
            assertThat(escaped(got)).as("round %d: %s", round, escaped(data)).isEqualTo(escaped(expected));
            assertThat(rest(raw)).isEqualTo(data.substring(data.indexOf("\r\n.\r\n" + NEXT) >= 0
                    ? terminatorEnd(data) : 0));
        }
    }

    /** Where the first terminator ends: DATA begins at a line start, so a leading ".\r\n" ends it at once. */
    private static int terminatorEnd(String data) {
        String d = "\r\n" + data;
        return d.indexOf("\r\n.\r\n") + 5 - 2;
    }

    private static String escaped(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }

    private static InputStream connection(String s, int bufferSize) {
        return new BufferedInputStream(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)), bufferSize);
    }

    private static String readAll(InputStream in, int readSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[readSize];
        int n;
        while ((n = readSize == 1 ? single(in, b) : in.read(b, 0, b.length)) != -1) {
            out.write(b, 0, n);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static int single(InputStream in, byte[] b) throws IOException {
        int c = in.read();
        if (c < 0) {
            return -1;
        }
        b[0] = (byte) c;
        return 1;
    }

    private static String rest(InputStream raw) throws IOException {
        return new String(raw.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
