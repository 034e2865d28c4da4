package org.postfach.mail;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Searches in raw message bytes eight bytes at a time ("SIMD within a register"): the loops that look at every
 * byte of a message for a line break (reading DATA, checking its line endings, dot-stuffing it for the smarthost,
 * telling ASCII text from 8-bit text) ran byte by byte and were together about a tenth of the relay's CPU at
 * 100 KB (bench/RESULTS.md, sixth session). Each answer is exactly that of the byte-by-byte loop it replaces.
 */
public final class ByteScan {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long CRS = ONES * '\r';
    private static final long LFS = ONES * '\n';

    private ByteScan() {
    }

    /** Where the first CR or LF in {@code d[from, to)} is, or {@code to} without one. */
    public static int lineBreak(byte[] d, int from, int to) {
        return find(d, from, to, false);
    }

    /** Where the first CR, LF or NUL in {@code d[from, to)} is, or {@code to} without one. */
    public static int lineBreakOrNul(byte[] d, int from, int to) {
        return find(d, from, to, true);
    }

    private static int find(byte[] d, int from, int to, boolean nul) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) LONGS.get(d, i);
            long hits = zeros(x ^ CRS) | zeros(x ^ LFS) | (nul ? zeros(x) : 0);
            if (hits != 0) {
                // the lowest flagged byte is always a true one (a borrow only runs towards higher bytes)
                return i + Long.numberOfTrailingZeros(hits) / Byte.SIZE;
            }
        }
        for (; i < to; i++) {
            byte b = d[i];
            if (b == '\r' || b == '\n' || nul && b == 0) {
                return i;
            }
        }
        return to;
    }

    /** The high bit of every zero byte of {@code x} set (and maybe of bytes above the first such one). */
    private static long zeros(long x) {
        return (x - ONES) & ~x & HIGHS;
    }

    /**
     * Whether {@code d[from, to)} holds at least {@code atLeast} ASCII digits. Bytes with the high bit set never
     * count: in an 8-bit text they are other characters, and the caller decides what those may be.
     */
    public static boolean digits(byte[] d, int from, int to, int atLeast) {
        int n = 0;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long w = (long) LONGS.get(d, i);
            long x = w & ~HIGHS; // seven bits each: adding below cannot carry into the next byte
            long atLeastZero = x + ONES * (0x80 - '0'); // high bit set where the byte is '0' or above
            long aboveNine = x + ONES * (0x80 - '9' - 1); // high bit set where the byte is above '9'
            n += Long.bitCount(atLeastZero & ~aboveNine & ~w & HIGHS);
            if (n >= atLeast) {
                return true;
            }
        }
        for (; i < to; i++) {
            if (d[i] >= '0' && d[i] <= '9' && ++n >= atLeast) {
                return true;
            }
        }
        return n >= atLeast;
    }

    /** Whether every byte of {@code d[from, to)} is 7-bit ASCII. */
    public static boolean ascii(byte[] d, int from, int to) {
        long high = 0;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            high |= (long) LONGS.get(d, i);
        }
        for (; i < to; i++) {
            high |= d[i];
        }
        return (high & HIGHS) == 0;
    }
}
