package org.postfach.delivery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code delivery.mode=file} (SPEC §6): each message becomes an {@code .eml} file in the outbox, written to a
 * temporary name, synced and renamed, so that a reader never sees half a message. {@code Return-Path} and
 * {@code Delivered-To} are added as a local delivery agent would.
 */
public final class FileTransport implements Transport {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
            .withZone(ZoneOffset.UTC);
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private final Path outbox;
    private final Clock clock;

    public FileTransport(Path outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public void send(String envelopeFrom, String recipient, byte[] message) throws DeliveryException {
        String name = STAMP.format(clock.instant()) + "-" + ProcessHandle.current().pid() + "-"
                + SEQUENCE.incrementAndGet() + ".eml";
        Path tmp = outbox.resolve("." + name + ".tmp");
        byte[] head = ("Return-Path: <" + envelopeFrom + ">\r\nDelivered-To: " + recipient + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try {
            Files.createDirectories(outbox);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(new ByteBuffer[] {ByteBuffer.wrap(head), ByteBuffer.wrap(message)});
                ch.force(true);
            }
            try {
                Files.move(tmp, outbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, outbox.resolve(name));
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temporary name is never read
            }
            throw new DeliveryException(false, "outbox not writable: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // nothing held open between messages
    }
}
