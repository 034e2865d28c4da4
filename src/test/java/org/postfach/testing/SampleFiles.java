package org.postfach.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small real files for attachment tests: the magic bytes each format starts with, built in memory. */
public final class SampleFiles {
    private SampleFiles() {
    }

    public static byte[] bytes(String kind) {
        try {
            return switch (kind) {
                case "pdf" -> "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
                case "png" -> concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d,
                        'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0}, new byte[16]);
                case "jpeg" -> concat(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 0x10, 'J', 'F',
                        'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0}, new byte[32]);
                case "gif" -> concat("GIF89a".getBytes(StandardCharsets.US_ASCII), new byte[] {1, 0, 1, 0, 0, 0, 0});
                case "tiff" -> concat(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0}, new byte[32]);
                case "bmp" -> bmp();
                case "doc" -> concat(new byte[] {(byte) 0xd0, (byte) 0xcf, 0x11, (byte) 0xe0, (byte) 0xa1, (byte) 0xb1,
                        0x1a, (byte) 0xe1}, new byte[512]);
                case "docx" -> zip("[Content_Types].xml", "word/document.xml");
                case "zip" -> zip("readme.txt", "tool.bin");
                case "fakedocx" -> zip("[Content_Types].xml", "payload/run.bin");
                case "exe" -> exe();
                case "sh" -> "#!/bin/sh\nrm -rf /tmp/x\n".getBytes(StandardCharsets.US_ASCII);
                case "text" -> "Lieferschein\nArtikel 1: Rotwein\n".getBytes(StandardCharsets.UTF_8);
                default -> throw new IllegalArgumentException(kind);
            };
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A 1×1 24-bit BMP: file header, BITMAPINFOHEADER, one pixel. */
    public static byte[] bmp() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(58).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(58).putInt(0).putInt(54);
        b.putInt(40).putInt(1).putInt(1).putShort((short) 1).putShort((short) 24).putInt(0).putInt(4)
                .putInt(2835).putInt(2835).putInt(0).putInt(0);
        b.put(new byte[] {(byte) 0xff, 0, 0, 0});
        return b.array();
    }

    public static byte[] exe() {
        byte[] b = new byte[256];
        b[0] = 'M';
        b[1] = 'Z';
        b[0x3c] = (byte) 0x80;
        byte[] stub = "This program cannot be run in DOS mode.".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(stub, 0, b, 0x4e, stub.length);
        b[0x80] = 'P';
        b[0x81] = 'E';
        return b;
    }

    public static byte[] zip(String... names) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (String n : names) {
                z.putNextEntry(new ZipEntry(n));
                z.write(("<x>" + n + "</x>").getBytes(StandardCharsets.US_ASCII));
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
