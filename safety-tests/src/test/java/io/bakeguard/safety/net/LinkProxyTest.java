package io.bakeguard.safety.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.bakeguard.testkit.LoopbackPorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy layer with plain sockets: an echo server stands in for a replica's Raft port. */
class LinkProxyTest {
    private ServerSocket echo;
    private Thread echoThread;

    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        echoThread = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread t = new Thread(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException e) {
                            // client went away
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        echoThread.setDaemon(true);
        echoThread.start();
    }

    @AfterEach
    void stopEcho() throws Exception {
        echo.close();
        echoThread.join(2_000);
    }

    private static Socket connect(LinkProxy p) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), p.port());
        s.setSoTimeout(3_000);
        return s;
    }

    private static String roundTrip(Socket s, String msg) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(msg.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return read(s.getInputStream(), msg.length());
    }

    private static String read(InputStream in, int n) throws IOException {
        byte[] buf = in.readNBytes(n);
        return new String(buf, StandardCharsets.UTF_8);
    }

    @Test
    void healthyLinkForwardsBothWays() throws Exception {
        try (LinkProxy p = new LinkProxy("n1", "n2", echo.getLocalPort());
                Socket s = connect(p)) {
            assertThat(roundTrip(s, "append-entries")).isEqualTo("append-entries");
            assertThat(p.bytesForwarded()).isEqualTo(2L * "append-entries".length());
            assertThat(p.isCut()).isFalse();
        }
    }

    @Test
    void stalledLinkHoldsBytesAndDeliversThemInOrderAfterHealing() throws Exception {
        try (LinkProxy p = new LinkProxy("n1", "n2", echo.getLocalPort());
                Socket s = connect(p)) {
            assertThat(roundTrip(s, "before")).isEqualTo("before");
            p.stallForward();
            s.getOutputStream().write("held-1 held-2".getBytes(StandardCharsets.UTF_8));
            s.setSoTimeout(700);
            long before = p.bytesForwarded();
            try {
                int b = s.getInputStream().read();
                throw new AssertionError("a byte crossed a stalled link: " + b);
            } catch (SocketTimeoutException expected) {
                // nothing crosses while stalled
            }
            assertThat(p.bytesForwarded()).isEqualTo(before);
            p.heal();
            s.setSoTimeout(3_000);
            assertThat(read(s.getInputStream(), "held-1 held-2".length())).isEqualTo("held-1 held-2");
        }
    }

    @Test
    void stallingOnlyTheBackwardDirectionLetsRequestsThroughButHoldsReplies() throws Exception {
        try (LinkProxy p = new LinkProxy("n1", "n2", echo.getLocalPort());
                Socket s = connect(p)) {
            p.stallBackward();
            s.getOutputStream().write("vote".getBytes(StandardCharsets.UTF_8));
            s.setSoTimeout(700);
            try {
                s.getInputStream().read();
                throw new AssertionError("a reply crossed the stalled backward direction");
            } catch (SocketTimeoutException expected) {
                // the request reached the echo server, its reply is held
            }
            assertThat(p.bytesForwarded()).isEqualTo(4);
            p.heal();
            s.setSoTimeout(3_000);
            assertThat(read(s.getInputStream(), 4)).isEqualTo("vote");
        }
    }

    @Test
    void droppedLinkClosesOpenConnectionsAndRefusesNewOnesUntilHealed() throws Exception {
        try (LinkProxy p = new LinkProxy("n1", "n2", echo.getLocalPort())) {
            Socket s = connect(p);
            assertThat(roundTrip(s, "x")).isEqualTo("x");
            p.drop();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            s.close();
            try (Socket refused = connect(p)) {
                refused.getOutputStream().write('y');
                assertThat(refused.getInputStream().read()).isEqualTo(-1);
            } catch (IOException reset) {
                // a reset is as good as an end of stream: nothing got through
            }
            p.heal();
            try (Socket again = connect(p)) {
                assertThat(roundTrip(again, "back")).isEqualTo("back");
            }
        }
    }

    @Test
    void linkToADeadTargetBehavesLikeARefusal() throws Exception {
        int dead = LoopbackPorts.one();
        try (LinkProxy p = new LinkProxy("n1", "n2", dead);
                Socket s = connect(p)) {
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void meshGivesEveryOrderedPairItsOwnPortAndCutsOnlyWhatItIsTold() throws Exception {
        int port = echo.getLocalPort();
        try (ProxyMesh mesh = new ProxyMesh(Map.of("n1", port, "n2", port, "n3", port))) {
            assertThat(Set.of(
                            mesh.portFor("n1", "n2"),
                            mesh.portFor("n2", "n1"),
                            mesh.portFor("n1", "n3"),
                            mesh.portFor("n3", "n1"),
                            mesh.portFor("n2", "n3"),
                            mesh.portFor("n3", "n2")))
                    .hasSize(6);
            mesh.cut(ProxyMesh.isolate("n1", mesh.replicas()), ProxyMesh.Mode.DROP);
            assertThat(mesh.proxy("n1", "n2").isCut()).isTrue();
            assertThat(mesh.proxy("n3", "n1").isCut()).isTrue();
            assertThat(mesh.proxy("n2", "n3").isCut()).isFalse();
            assertThat(mesh.minority()).containsExactly("n1");
            try (Socket s = connect(mesh.proxy("n2", "n3"))) {
                assertThat(roundTrip(s, "ok")).isEqualTo("ok");
            }
            mesh.healAll();
            assertThat(mesh.cuts()).isEmpty();
            assertThat(mesh.minority()).isEmpty();
        }
    }

    @Test
    void minorityIsWhoExchangesMessagesBothWaysWithFewerThanAMajority() {
        List<String> five = List.of("n1", "n2", "n3", "n4", "n5");
        assertThat(ProxyMesh.minorityUnder(ProxyMesh.split(List.of("n1", "n2"), five), five))
                .containsExactlyInAnyOrder("n1", "n2");
        // One-way: nobody reaches n3, so n3 can neither hear acks nor votes.
        List<String> three = List.of("n1", "n2", "n3");
        assertThat(ProxyMesh.minorityUnder(ProxyMesh.inbound("n3", three), three))
                .containsExactly("n3");
        // Bridge: n1 | n2 | n3 with n1-n3 cut; everyone still has a majority through n2.
        assertThat(ProxyMesh.minorityUnder(
                        List.of(new ProxyMesh.Cut("n1", "n3"), new ProxyMesh.Cut("n3", "n1")), three))
                .isEmpty();
    }
}
