package org.postfach.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A raw-socket SMTP client for dialogue tests: every reply is read whole and returned as text. */
public final class SmtpDialogue implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    public final String greeting;

    public SmtpDialogue(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        greeting = reply();
    }

    /** Sends one command line (CRLF added) and answers the whole reply, lines joined with \n. */
    public String send(String line) throws IOException {
        raw(line + "\r\n");
        return reply();
    }

    public void raw(String text) throws IOException {
        raw(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one (possibly multi-line) reply. */
    public String reply() throws IOException {
        StringBuilder all = new StringBuilder();
        while (true) {
            String line = line();
            if (line == null) {
                return all.length() == 0 ? null : all.toString();
            }
            if (all.length() > 0) {
                all.append('\n');
            }
            all.append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return all.toString();
            }
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c == -1 && b.size() == 0) {
            return null;
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /** A whole transaction with CRLF-normalised content; answers the reply to the end of DATA. */
    public String mail(String from, String to, byte[] message) throws IOException {
        expect(send("MAIL FROM:<" + from + ">"), "250");
        expect(send("RCPT TO:<" + to + ">"), "250");
        expect(send("DATA"), "354");
        raw(dotStuff(message));
        raw(".\r\n");
        return reply();
    }

    public static byte[] dotStuff(byte[] message) {
        String s = new String(message, StandardCharsets.ISO_8859_1);
        if (!s.endsWith("\r\n")) {
            s = s + "\r\n";
        }
        s = s.replace("\r\n.", "\r\n..");
        if (s.startsWith(".")) {
            s = "." + s;
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static void expect(String reply, String prefix) {
        if (reply == null || !reply.startsWith(prefix)) {
            throw new AssertionError("expected " + prefix + " but got: " + reply);
        }
    }

    /** The TLS handshake over the open connection, with only {@code protocols} enabled. */
    public void handshake(String... protocols) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {TRUST_ALL}, null);
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        tls.setUseClientMode(true);
        if (protocols.length > 0) {
            tls.setEnabledProtocols(protocols);
        }
        tls.startHandshake();
        socket = tls;
        in = tls.getInputStream();
        out = tls.getOutputStream();
    }

    public String protocol() {
        return ((SSLSocket) socket).getSession().getProtocol();
    }

    private static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
