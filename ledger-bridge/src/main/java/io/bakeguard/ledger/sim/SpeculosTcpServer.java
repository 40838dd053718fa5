package io.bakeguard.ledger.sim;

import io.bakeguard.ledger.apdu.SpeculosFraming;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback TCP listener speaking Speculos' APDU framing (spec/ledger-baking-apdu.md s.5) in front of
 * a {@link SimulatedLedger}, so {@code SpeculosTcpTransport} is exercised against the same model and
 * can later be pointed at a real Speculos unchanged. One client connection is served at a time; while
 * the device is unplugged, connections are closed at once.
 */
public final class SpeculosTcpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpeculosTcpServer.class);

    private final SimulatedLedger device;
    private final ServerSocket server;
    private final Thread acceptor;
    private volatile boolean running = true;
    private volatile Socket current;

    /**
     * Starts listening on {@code 127.0.0.1:port} ({@code 0} = any free port).
     */
    public SpeculosTcpServer(SimulatedLedger device, int port) throws IOException {
        this(device, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    public SpeculosTcpServer(SimulatedLedger device, InetSocketAddress bind) throws IOException {
        this.device = device;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(bind, 4);
        this.acceptor = new Thread(this::acceptLoop, "speculos-sim-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (running) {
            try (Socket s = server.accept()) {
                if (!device.plugged()) {
                    continue; // closed at once: the device is not there
                }
                current = s;
                s.setTcpNoDelay(true);
                serve(s);
            } catch (IOException e) {
                if (running) {
                    LOG.debug("simulator connection ended: {}", e.getMessage());
                }
            } finally {
                current = null;
            }
        }
    }

    private void serve(Socket s) throws IOException {
        InputStream in = new BufferedInputStream(s.getInputStream());
        OutputStream out = new BufferedOutputStream(s.getOutputStream());
        int generation = device.generation();
        while (running) {
            byte[] apdu = SpeculosFraming.readCommand(in);
            if (apdu == null) {
                return;
            }
            if (!device.plugged() || device.generation() != generation) {
                return; // the device went away between two exchanges
            }
            long start = device.beginExchange();
            try {
                SimulatedLedger.Outcome o = device.exchange(apdu);
                if (o.unplugged()) {
                    return;
                }
                if (o.reply().isEmpty()) {
                    continue;
                }
                if (o.delayMillis() > 0) {
                    sleep(o.delayMillis());
                }
                SpeculosFraming.writeResponse(out, o.reply().get());
            } finally {
                device.endExchange(start);
            }
        }
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SocketException("interrupted");
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        Socket s = current;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
