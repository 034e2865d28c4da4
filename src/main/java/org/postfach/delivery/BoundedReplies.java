package org.postfach.delivery;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Sockets for the SMTP client that refuse a reply longer than {@link #MAX_REPLY} bytes. Angus reads a multi-line
 * reply ({@code 250-...}) into one StringBuilder with no bound, so a smarthost that never ends its reply would
 * fill the heap while each read stays well inside the read timeout. The budget counts bytes read since the client
 * last wrote, i.e. per reply (a few pipelined replies at most); going past it is an I/O error, so the attempt is
 * deferred like any broken connection.
 */
final class BoundedReplies extends SocketFactory {
    /** RFC 5321 allows 512 bytes per reply line; a large EHLO reply is about 1 KB. */
    static final int MAX_REPLY = 64 * 1024;

    @Override
    public Socket createSocket() {
        return new BoundedSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket s = new BoundedSocket();
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = new BoundedSocket();
        s.bind(new java.net.InetSocketAddress(localHost, localPort));
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket s = new BoundedSocket();
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket s = new BoundedSocket();
        s.bind(new java.net.InetSocketAddress(localAddress, localPort));
        s.connect(new java.net.InetSocketAddress(address, port));
        return s;
    }

    private static final class BoundedSocket extends Socket {
        private volatile long readSinceWrite;
        private InputStream in;
        private OutputStream out;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        int b = super.read();
                        count(b < 0 ? 0 : 1);
                        return b;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        count(Math.max(n, 0));
                        return n;
                    }
                };
            }
            return in;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new FilterOutputStream(super.getOutputStream()) {
                    @Override
                    public void write(int b) throws IOException {
                        readSinceWrite = 0;
                        super.out.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        readSinceWrite = 0;
                        super.out.write(b, off, len);
                    }
                };
            }
            return out;
        }

        private void count(int n) throws IOException {
            readSinceWrite += n;
            if (readSinceWrite > MAX_REPLY) {
                close();
                throw new IOException("smarthost reply longer than " + MAX_REPLY + " bytes");
            }
        }
    }
}
