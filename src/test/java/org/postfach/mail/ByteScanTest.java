package org.postfach.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The eight-bytes-at-a-time answers are exactly those of the byte-by-byte loops they replace. */
class ByteScanTest {
    private static int lineBreakByBytes(byte[] d, int from, int to, boolean nul) {
        for (int i = from; i < to; i++) {
            if (d[i] == '\r' || d[i] == '\n' || nul && d[i] == 0) {
                return i;
            }
        }
        return to;
    }

    private static boolean asciiByBytes(byte[] d, int from, int to) {
        for (int i = from; i < to; i++) {
            if (d[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean digitsByBytes(byte[] d, int from, int to, int atLeast) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (d[i] >= '0' && d[i] <= '9') {
                n++;
            }
        }
        return n >= atLeast;
    }

    @Test
    void countsDigitsInEveryLaneAndNothingNextToThem() {
        // the bytes around '0'..'9', and the same with the high bit set (0xb0..0xb9 are no digits)
        byte[] d = "/0123456789:\u00b0\u00b9\u00af\u00ba".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(ByteScan.digits(d, 0, d.length, 10)).isTrue();
        assertThat(ByteScan.digits(d, 0, d.length, 11)).isFalse();
        for (int lane = 0; lane < 16; lane++) {
            byte[] one = "................".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            one[lane] = '7';
            assertThat(ByteScan.digits(one, 0, 16, 1)).isTrue();
            assertThat(ByteScan.digits(one, 0, 16, 2)).isFalse();
            assertThat(ByteScan.digits(one, 0, lane, 1)).as("never past the end given").isFalse();
        }
    }

    @Test
    void findsTheFirstLineBreakOrNulWhereverItIs() {
        // a hit in every lane of a long, bytes one above and below the ones looked for, borrows from a zero byte
        byte[] d = "abcdefgh\u000b\u000c\u000e\u0001xyz\rtail\nend"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(ByteScan.lineBreak(d, 0, d.length)).isEqualTo(15);
        assertThat(ByteScan.lineBreak(d, 16, d.length)).isEqualTo(20);
        assertThat(ByteScan.lineBreak(d, 21, d.length)).isEqualTo(d.length);
        byte[] zeros = new byte[24];
        zeros[9] = '\n';
        assertThat(ByteScan.lineBreak(zeros, 0, 24)).as("NUL is no line break").isEqualTo(9);
        assertThat(ByteScan.lineBreakOrNul(zeros, 0, 24)).isEqualTo(0);
        assertThat(ByteScan.lineBreakOrNul(zeros, 10, 24)).isEqualTo(10);
        for (int lane = 0; lane < 16; lane++) {
            byte[] one = "................".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            one[lane] = '\r';
            assertThat(ByteScan.lineBreak(one, 0, 16)).isEqualTo(lane);
            assertThat(ByteScan.lineBreak(one, 0, lane)).as("never past the end given").isEqualTo(lane);
        }
    }

    @Test
    void agreesWithTheByteByByteLoopsOnRandomBytes() {
        Random random = new Random(1234);
        byte[] alphabet = {'a', 'b', '.', ' ', '\r', '\n', 0, 1, 0x0c, 0x0e, 0x7f, (byte) 0x80, (byte) 0x8d,
            (byte) 0xff, '0', '5', '9', '/', ':', (byte) 0xb0, (byte) 0xb9};
        for (int n = 0; n < 20_000; n++) {
            byte[] d = new byte[random.nextInt(80)];
            int rare = 1 + random.nextInt(40); // from dense to sparse hits, so that long runs without one occur
            for (int i = 0; i < d.length; i++) {
                d[i] = random.nextInt(rare) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) ('a' + i % 26);
            }
            int from = d.length == 0 ? 0 : random.nextInt(d.length);
            int to = from + random.nextInt(d.length - from + 1);
            assertThat(ByteScan.lineBreak(d, from, to)).isEqualTo(lineBreakByBytes(d, from, to, false));
            assertThat(ByteScan.lineBreakOrNul(d, from, to)).isEqualTo(lineBreakByBytes(d, from, to, true));
            assertThat(ByteScan.ascii(d, from, to)).isEqualTo(asciiByBytes(d, from, to));
            int atLeast = random.nextInt(8);
            assertThat(ByteScan.digits(d, from, to, atLeast)).isEqualTo(digitsByBytes(d, from, to, atLeast));
        }
    }
}
