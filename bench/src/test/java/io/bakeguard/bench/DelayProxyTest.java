package io.bakeguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The delaying proxy forwards every byte, in order, both ways (timing is measured, not asserted). */
class DelayProxyTest {
    @Test
    void bytesCrossTheProxyInOrderInBothDirections() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket c = echo.accept()) {
                    c.getInputStream().transferTo(c.getOutputStream());
                } catch (Exception ignored) {
                    // echo done
                }
            });
            t.setDaemon(true);
            t.start();
            try (DelayProxy p = DelayProxy.start(
                            0, new InetSocketAddress("127.0.0.1", echo.getLocalPort()), Duration.ofMillis(5));
                    Socket s = new Socket("127.0.0.1", p.port())) {
                s.setSoTimeout(10_000);
                byte[] data = new byte[100_000];
                for (int i = 0; i < data.length; i++) {
                    data[i] = (byte) (i * 31);
                }
                OutputStream out = s.getOutputStream();
                out.write(data);
                out.flush();
                s.shutdownOutput();
                InputStream in = s.getInputStream();
                byte[] back = in.readAllBytes();
                assertThat(back).isEqualTo(data);
                assertThat(p.forwardedBytes()).isEqualTo(2L * data.length);
            }
        }
    }
}
