package io.bakeguard.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One kept-alive HTTP/1.1 connection, used by one simulated baker at a time, like the one connection
 * an octez baker keeps to its signer. Blocking and allocation-light on purpose: the load generator
 * shares the machine's two cores with the replicas it measures, so it must cost little per request.
 * Reconnects once when the server closed an idle connection.
 */
final class HttpConnection implements Closeable {
    /** Bodies larger than this are a protocol error here (signer answers are a few hundred bytes). */
    static final int MAX_BODY = 1 << 20;

    private static final int MAX_HEADER_LINE = 8192;
    private static final int MAX_HEADERS = 100;

    /** A complete answer: status code and body text. */
    record Response(int status, String body) {}

    private final URI base;
    private final String hostHeader;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    HttpConnection(URI base, int timeoutMillis) {
        if (!"http".equals(base.getScheme()) || base.getHost() == null) {
            throw new IllegalArgumentException("target must be an http://host:port URL, got " + base);
        }
        this.base = base;
        int port = base.getPort() == -1 ? 80 : base.getPort();
        this.hostHeader = base.getHost() + ":" + port;
        this.timeoutMillis = timeoutMillis;
    }

    URI base() {
        return base;
    }

    Response get(String path) throws IOException {
        return exchange("GET", path, null, null);
    }

    Response post(String path, String contentType, byte[] body) throws IOException {
        return exchange("POST", path, contentType, body);
    }

    private Response exchange(String method, String path, String contentType, byte[] body) throws IOException {
        boolean reused = socket != null;
        try {
            return exchangeOnce(method, path, contentType, body);
        } catch (IOException e) {
            close();
            if (!reused) {
                throw e;
            }
            // The server may have closed a kept-alive connection between two requests: retry once on a
            // fresh connection, as HTTP clients do for idempotent reuse failures.
            return exchangeOnce(method, path, contentType, body);
        }
    }

    private Response exchangeOnce(String method, String path, String contentType, byte[] body) throws IOException {
        if (socket == null) {
            connect();
        }
        StringBuilder head = new StringBuilder(160)
                .append(method)
                .append(' ')
                .append(path)
                .append(" HTTP/1.1\r\nHost: ")
                .append(hostHeader)
                .append("\r\n");
        if (body != null) {
            head.append("Content-Type: ")
                    .append(contentType)
                    .append("\r\nContent-Length: ")
                    .append(body.length)
                    .append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
        if (body == null) {
            out.write(h);
        } else {
            byte[] all = new byte[h.length + body.length];
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(body, 0, all, h.length, body.length);
            out.write(all);
        }
        out.flush();
        return readResponse();
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(timeoutMillis);
            int port = base.getPort() == -1 ? 80 : base.getPort();
            s.connect(new InetSocketAddress(base.getHost(), port), timeoutMillis);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 8192);
        out = s.getOutputStream();
    }

    private Response readResponse() throws IOException {
        String status = readLine();
        if (status == null) {
            throw new IOException("connection closed before a response");
        }
        if (!status.startsWith("HTTP/1.") || status.length() < 12) {
            throw new IOException("not an HTTP/1.x status line: " + abbreviate(status));
        }
        int code;
        try {
            code = Integer.parseInt(status.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("bad status code in: " + abbreviate(status), e);
        }
        int length = -1;
        boolean chunked = false;
        boolean close = status.startsWith("HTTP/1.0");
        for (int i = 0; ; i++) {
            if (i >= MAX_HEADERS) {
                throw new IOException("more than " + MAX_HEADERS + " response headers");
            }
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed inside the response headers");
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed response header: " + abbreviate(line));
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("content-length")) {
                try {
                    length = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length: " + abbreviate(value), e);
                }
                if (length < 0 || length > MAX_BODY) {
                    throw new IOException("Content-Length out of range: " + length);
                }
            } else if (name.equalsIgnoreCase("transfer-encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("connection") && value.equalsIgnoreCase("close")) {
                close = true;
            }
        }
        byte[] body;
        if (chunked) {
            body = readChunked();
        } else if (length >= 0) {
            body = in.readNBytes(length);
            if (body.length != length) {
                throw new IOException("connection closed after " + body.length + " of " + length + " body bytes");
            }
        } else {
            throw new IOException("response has neither Content-Length nor chunked encoding");
        }
        if (close) {
            close();
        }
        return new Response(code, new String(body, StandardCharsets.UTF_8));
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            if (sizeLine == null) {
                throw new IOException("connection closed inside a chunked body");
            }
            int semi = sizeLine.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + abbreviate(sizeLine), e);
            }
            if (size < 0 || b.size() + size > MAX_BODY) {
                throw new IOException("chunked body over " + MAX_BODY + " bytes");
            }
            if (size == 0) {
                while (true) { // trailers, up to the empty line
                    String t = readLine();
                    if (t == null || t.isEmpty()) {
                        return b.toByteArray();
                    }
                }
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new IOException("connection closed inside a chunk");
            }
            b.write(chunk);
            readLine();
        }
    }

    /** A CRLF- (or LF-) terminated ASCII line without its terminator; null at end of stream. */
    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        while (true) {
            int c = in.read();
            if (c == -1) {
                return sb.length() == 0 ? null : sb.toString();
            }
            if (c == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') {
                    sb.setLength(n - 1);
                }
                return sb.toString();
            }
            if (sb.length() >= MAX_HEADER_LINE) {
                throw new IOException("response line longer than " + MAX_HEADER_LINE + " bytes");
            }
            sb.append((char) c);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken socket: nothing left to do
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
