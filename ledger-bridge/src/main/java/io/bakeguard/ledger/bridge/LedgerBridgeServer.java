package io.bakeguard.ledger.bridge;

import io.bakeguard.ledger.apdu.ResponseApdu;
import io.bakeguard.ledger.apdu.SpeculosFraming;
import io.bakeguard.ledger.apdu.TransportException;
import io.bakeguard.ledger.app.LedgerException;
import io.bakeguard.ledger.app.TezosBakingApp;
import io.bakeguard.ledger.hid.Hid4javaDeviceFinder;
import io.bakeguard.ledger.signer.DeviceConnector;
import io.bakeguard.ledger.signer.DeviceSelector;
import io.bakeguard.ledger.signer.DeviceSession;
import io.bakeguard.ledger.signer.HidConnector;
import io.bakeguard.ledger.signer.LedgerUri;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bakeguard ledger bridge --device URI --listen ADDR}: exposes one local Ledger to remote
 * replicas (design.md s.6). The wire is Speculos' APDU framing (spec/ledger-baking-apdu.md s.5)
 * inside mutual TLS; only allow-listed client certificates complete the handshake. One client is
 * served at a time (another is closed at once); its APDUs are forwarded to the device one by one.
 *
 * <p>The device is found by its root key as the URI names it, and reopened after any failure. A
 * device failure closes the client's connection, so the replica's signer reconnects and identifies
 * the device again. Commands that change the device's authorization or watermark (SETUP, RESET,
 * AUTHORIZE, DEAUTHORIZE) and prompts are refused with {@code 6982}: they belong to the operator at
 * the device's host.
 */
public final class LedgerBridgeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerBridgeServer.class);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final DeviceConnector connector;
    private final DeviceSelector selector;
    private final Duration exchangeTimeout;
    private final SSLServerSocket server;
    private final Thread acceptor;
    private final Object deviceLock = new Object();
    private final AtomicInteger refusedClients = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();
    private volatile boolean running = true;
    private volatile Socket client;
    private DeviceSession session; // guarded by deviceLock

    private LedgerBridgeServer(
            DeviceConnector connector, DeviceSelector selector, Duration exchangeTimeout, SSLServerSocket server) {
        this.connector = connector;
        this.selector = selector;
        this.exchangeTimeout = exchangeTimeout;
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "ledger-bridge-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Starts a bridge.
     *
     * @param connector where the device is (HID in production)
     * @param selector which device (root key)
     * @param bind address to listen on
     * @param tls this bridge's certificate and key
     * @param allow the replicas' certificates
     */
    public static LedgerBridgeServer start(
            DeviceConnector connector,
            DeviceSelector selector,
            InetSocketAddress bind,
            TlsMaterial tls,
            CertificateAllowList allow,
            Duration exchangeTimeout)
            throws IOException {
        SSLContext ctx;
        try {
            ctx = tls.serverContext(allow);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS for the bridge: " + e.getMessage(), e);
        }
        SSLServerSocket s = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket();
        s.setReuseAddress(true);
        s.setNeedClientAuth(true);
        s.setEnabledProtocols(new String[] {"TLSv1.3"});
        s.bind(bind, 4);
        LOG.info("Ledger bridge for {} listening on {}", selector, s.getLocalSocketAddress());
        return new LedgerBridgeServer(connector, selector, exchangeTimeout, s);
    }

    /**
     * The CLI entry: bridges the HID Ledger named by {@code deviceUri} on {@code listen}
     * ({@code host:port}) until the thread is interrupted.
     */
    public static void run(String deviceUri, String listen, TlsMaterial tls, CertificateAllowList allow)
            throws IOException, InterruptedException {
        LedgerUri uri = LedgerUri.parse(deviceUri);
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--listen must be HOST:PORT, got " + listen);
        }
        InetSocketAddress bind =
                new InetSocketAddress(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1)));
        try (LedgerBridgeServer b = start(
                new HidConnector(new Hid4javaDeviceFinder()), uri.device(), bind, tls, allow, Duration.ofSeconds(5))) {
            b.acceptor.join();
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Clients turned away because another one was being served. */
    public int refusedClients() {
        return refusedClients.get();
    }

    /** APDUs forwarded to the device. */
    public int forwardedApdus() {
        return forwarded.get();
    }

    private void acceptLoop() {
        while (running) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (running) {
                    LOG.warn("bridge accept failed: {}", e.getMessage());
                    pause();
                }
                continue;
            }
            if (client != null) {
                refusedClients.incrementAndGet();
                LOG.warn("refusing {}: another replica is using the device", s.getRemoteSocketAddress());
                closeQuietly(s);
                continue;
            }
            client = s;
            Thread t = new Thread(() -> serve(s), "ledger-bridge-client");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket s) {
        try {
            SSLSocket ssl = (SSLSocket) s;
            ssl.setSoTimeout((int) HANDSHAKE_TIMEOUT.toMillis());
            ssl.startHandshake();
            ssl.setSoTimeout(0);
            String peer = ssl.getSession().getPeerPrincipal().getName();
            LOG.info("bridge client {} ({}) connected", peer, s.getRemoteSocketAddress());
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = new BufferedOutputStream(s.getOutputStream());
            while (running) {
                byte[] apdu = SpeculosFraming.readCommand(in);
                if (apdu == null) {
                    return;
                }
                ResponseApdu r = forward(apdu);
                SpeculosFraming.writeResponse(out, r);
            }
        } catch (IOException e) {
            LOG.info("bridge client {} left: {}", s.getRemoteSocketAddress(), e.getMessage());
        } finally {
            closeQuietly(s);
            client = null;
        }
    }

    /** One APDU to the device; a device failure ends the client's connection (IOException). */
    private ResponseApdu forward(byte[] apdu) throws IOException {
        if (!allowedThroughBridge(apdu)) {
            LOG.warn("refused APDU INS 0x{} through the bridge", String.format("%02X", apdu[1] & 0xff));
            return ResponseApdu.ofStatus(0x6982);
        }
        synchronized (deviceLock) {
            if (session == null) {
                try {
                    session = DeviceSession.open(connector, selector, exchangeTimeout);
                    LOG.info("bridge opened Ledger {} at {}", selector, session.label());
                } catch (LedgerException e) {
                    // Locked, dashboard, wrong app: answer as the device would so the replica sees why.
                    if (e.statusWord().isPresent()) {
                        return ResponseApdu.ofStatus(e.statusWord().getAsInt());
                    }
                    throw new SocketException("Ledger unavailable: " + e.getMessage());
                }
            }
            try {
                ResponseApdu r = session.app().transport().exchange(apdu, exchangeTimeout);
                forwarded.incrementAndGet();
                return r;
            } catch (TransportException e) {
                session.close();
                session = null;
                throw new SocketException("Ledger lost: " + e.getMessage());
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean allowedThroughBridge(byte[] apdu) {
        if (apdu.length < 2) {
            return true; // the device answers 6C00
        }
        if ((apdu[0] & 0xff) != TezosBakingApp.CLA) {
            return (apdu[0] & 0xff) == 0xB0 && apdu[1] == 0x01; // only the "which app" probe
        }
        return switch (apdu[1] & 0xff) {
            case TezosBakingApp.INS_AUTHORIZE_BAKING,
                    TezosBakingApp.INS_PROMPT_PUBLIC_KEY,
                    TezosBakingApp.INS_RESET,
                    TezosBakingApp.INS_SETUP,
                    TezosBakingApp.INS_DEAUTHORIZE -> false;
            default -> true;
        };
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
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
        Socket c = client;
        if (c != null) {
            closeQuietly(c);
        }
        synchronized (deviceLock) {
            if (session != null) {
                session.close();
                session = null;
            }
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
