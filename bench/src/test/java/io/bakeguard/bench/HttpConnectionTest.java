package io.bakeguard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The load tool's HTTP/1.1 client against a scripted loopback server. */
class HttpConnectionTest {
    /** Accepts one connection, reads one request head, answers {@code reply} (repeated {@code times}). */
    private static ServerSocket serve(String reply, int times) throws IOException {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (Socket c = s.accept()) {
                InputStream in = c.getInputStream();
                OutputStream out = c.getOutputStream();
                for (int i = 0; i < times; i++) {
                    int matched = 0;
                    int b;
                    while (matched < 4 && (b = in.read()) >= 0) { // up to the blank line
                        matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : 0;
                    }
                    out.write(reply.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException ignored) {
                // test server done
            }
        });
        t.setDaemon(true);
        t.start();
        return s;
    }

    private static URI uri(ServerSocket s) {
        return URI.create("http://127.0.0.1:" + s.getLocalPort());
    }

    @Test
    void twoRequestsShareOneKeptAliveConnection() throws Exception {
        try (ServerSocket s = serve("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", 2);
                HttpConnection c = new HttpConnection(uri(s), 2000)) {
            assertThat(c.get("/authorized_keys")).isEqualTo(new HttpConnection.Response(200, "{}"));
            // the scripted server accepts a single connection: a second one would fail
            assertThat(c.get("/authorized_keys").status()).isEqualTo(200);
        }
    }

    @Test
    void aChunkedBodyIsReassembled() throws Exception {
        String reply = "HTTP/1.1 409 Conflict\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        try (ServerSocket s = serve(reply, 1);
                HttpConnection c = new HttpConnection(uri(s), 2000)) {
            assertThat(c.post("/keys/x", "application/json", new byte[] {'"', '"'}))
                    .isEqualTo(new HttpConnection.Response(409, "abcde"));
        }
    }

    @Test
    void garbageInsteadOfAStatusLineIsAClearError() throws Exception {
        try (ServerSocket s = serve("SSH-2.0-OpenSSH\r\n\r\n", 1);
                HttpConnection c = new HttpConnection(uri(s), 2000)) {
            assertThatThrownBy(() -> c.get("/")).isInstanceOf(IOException.class).hasMessageContaining("status line");
        }
    }

    @Test
    void aResponseWithoutLengthOrChunkingIsRefused() throws Exception {
        try (ServerSocket s = serve("HTTP/1.1 200 OK\r\n\r\n", 1);
                HttpConnection c = new HttpConnection(uri(s), 2000)) {
            assertThatThrownBy(() -> c.get("/"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("neither Content-Length nor chunked");
        }
    }

    @Test
    void anOversizedContentLengthIsRefused() throws Exception {
        try (ServerSocket s = serve("HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n", 1);
                HttpConnection c = new HttpConnection(uri(s), 2000)) {
            assertThatThrownBy(() -> c.get("/")).isInstanceOf(IOException.class).hasMessageContaining("out of range");
        }
    }

    @Test
    void aTruncatedBodyIsAClearError() throws Exception {
        try (ServerSocket s = serve("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\nabc", 1);
                HttpConnection c = new HttpConnection(uri(s), 2000)) {
            assertThatThrownBy(() -> c.get("/")).isInstanceOf(IOException.class);
        }
    }

    @Test
    void onlyHttpTargetsAreAccepted() {
        assertThatThrownBy(() -> new HttpConnection(URI.create("https://127.0.0.1:1"), 1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://host:port");
    }
}
