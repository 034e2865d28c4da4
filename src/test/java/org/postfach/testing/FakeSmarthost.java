package org.postfach.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted SMTP server on 127.0.0.1 for delivery tests: it behaves like a plain smarthost until told to
 * misbehave with {@link #fault}, which applies to every connection from then on. Received messages are kept.
 */
public final class FakeSmarthost implements AutoCloseable {
    public enum Fault {
        NONE, TEMP_RCPT, TEMP_DATA, PERM_RCPT, DROP_IN_DATA, STALL, ENDLESS_REPLY, TLS_GARBAGE, REFUSE
    }

    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger starttls = new AtomicInteger();
    private volatile Fault fault = Fault.NONE;
    private volatile String onlyFor;
    private volatile ServerSocket server;
    private volatile boolean closed;

    public FakeSmarthost() throws IOException {
        listen(0);
        this.port = server.getLocalPort();
    }

    public int port() {
        return port;
    }

    /** From now on every new connection (REFUSE: the port itself) misbehaves like this. */
    public synchronized void fault(Fault f) throws IOException {
        if (f == Fault.REFUSE && fault != Fault.REFUSE) {
            server.close();
        } else if (f != Fault.REFUSE && fault == Fault.REFUSE) {
            listen(port);
        }
        fault = f;
    }

    /** RCPT faults only hit recipients containing this text (null: every recipient). */
    public void onlyFor(String recipientPart) {
        onlyFor = recipientPart;
    }

    /** The messages received whole, as text. */
    public List<String> received() {
        return List.copyOf(received);
    }

    public int connections() {
        return connections.get();
    }

    public int starttlsAttempts() {
        return starttls.get();
    }

    /** How many received messages contain this text (e.g. a unique subject). */
    public long count(String text) {
        return received.stream().filter(m -> m.contains(text)).count();
    }

    private void listen(int p) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 50);
        server = s;
        Thread acceptor = new Thread(() -> accept(s), "fake-smarthost-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket s) {
        try {
            while (!closed) {
                Socket c = s.accept();
                connections.incrementAndGet();
                open.add(c);
                Thread t = new Thread(() -> serve(c), "fake-smarthost-session");
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException stopped) {
            // closed
        }
    }

    private void serve(Socket c) {
        Fault f = fault;
        try (c) {
            c.setSoTimeout(30_000);
            InputStream in = c.getInputStream();
            OutputStream out = c.getOutputStream();
            if (f == Fault.STALL) {
                while (in.read() != -1) {
                    // say nothing at all, read until the client gives up
                }
                return;
            }
            write(out, "220 fake.example ESMTP");
            String line;
            while ((line = readLine(in)) != null) {
                f = fault; // a kept-open connection follows the script too
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
                switch (verb) {
                    case "EHLO" -> {
                        if (f == Fault.ENDLESS_REPLY) {
                            byte[] chunk = "250-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n"
                                    .repeat(64).getBytes(StandardCharsets.US_ASCII);
                            while (!closed) {
                                out.write(chunk); // until the client hangs up
                            }
                            return;
                        }
                        write(out, "250-fake.example" + (f == Fault.TLS_GARBAGE ? "\r\n250-STARTTLS" : "")
                                + "\r\n250 8BITMIME");
                    }
                    case "HELO" -> write(out, "250 fake.example");
                    case "STAR" -> {
                        starttls.incrementAndGet();
                        write(out, "220 2.0.0 go ahead");
                        out.write("this is not a TLS server hello\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        return;
                    }
                    case "MAIL", "RSET", "NOOP" -> write(out, "250 2.1.0 ok");
                    case "RCPT" -> write(out, onlyFor != null && !line.contains(onlyFor) ? "250 2.1.5 ok" : switch (f) {
                        case TEMP_RCPT -> "451 4.3.0 remote-secret-diagnostic, try later";
                        case PERM_RCPT -> "550 5.1.1 remote-secret-diagnostic: no such user";
                        default -> "250 2.1.5 ok";
                    });
                    case "DATA" -> {
                        write(out, "354 go ahead");
                        ByteArrayOutputStream body = new ByteArrayOutputStream();
                        String l;
                        int lines = 0;
                        while ((l = readLine(in)) != null && !l.equals(".")) {
                            body.write((l + "\r\n").getBytes(StandardCharsets.UTF_8));
                            if (f == Fault.DROP_IN_DATA && ++lines == 3) {
                                return; // hang up in the middle of the message
                            }
                        }
                        if (l == null) {
                            return;
                        }
                        if (f == Fault.TEMP_DATA) {
                            write(out, "451 4.3.0 remote-secret-diagnostic, try later");
                        } else {
                            received.add(body.toString(StandardCharsets.UTF_8));
                            write(out, "250 2.0.0 queued");
                        }
                    }
                    case "QUIT" -> {
                        write(out, "221 2.0.0 bye");
                        return;
                    }
                    default -> write(out, "500 5.5.1 unknown command");
                }
            }
        } catch (IOException ended) {
            // the client went away
        } finally {
            open.remove(c);
        }
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
