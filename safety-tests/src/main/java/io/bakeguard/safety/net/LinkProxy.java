package io.bakeguard.safety.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback for the connections one replica opens to one peer's Raft port. The harness owns it,
 * so it can cut the link without root:
 *
 * <ul>
 *   <li>{@link #stallForward()} / {@link #stallBackward()}: bytes in that direction stop moving (they are held,
 *       not lost) until {@link #heal()}; TCP connections stay open. This is what a real partition looks like to
 *       TCP, and cutting one direction only gives asymmetric partitions;
 *   <li>{@link #drop()}: every open connection is closed and new ones are accepted and closed at once, like a
 *       peer that resets everything (connection refused) until {@link #heal()}.
 * </ul>
 *
 * One acceptor thread and two pump threads per connection, all daemon threads; {@link #close()} stops them.
 */
public final class LinkProxy implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;

    private final String from;
    private final String to;
    private final int targetPort;
    private final ServerSocket server;
    private final Gate forward = new Gate();
    private final Gate backward = new Gate();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean dropping;
    private volatile boolean closed;

    /**
     * Starts a proxy on a free loopback port forwarding to {@code 127.0.0.1:targetPort}.
     *
     * @param from the replica that opens the connections (for names and reports)
     * @param to the replica that accepts them
     */
    public LinkProxy(String from, String to, int targetPort) throws IOException {
        this.from = from;
        this.to = to;
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.acceptor = new Thread(this::acceptLoop, "proxy-" + from + "-" + to);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public String from() {
        return from;
    }

    public String to() {
        return to;
    }

    public long connectionsAccepted() {
        return accepted.get();
    }

    public long bytesForwarded() {
        return bytes.get();
    }

    /** Holds the bytes the opening side sends ({@code from} to {@code to}) until {@link #heal()}. */
    public void stallForward() {
        forward.shut();
    }

    /** Holds the bytes the accepting side sends back ({@code to} to {@code from}) until {@link #heal()}. */
    public void stallBackward() {
        backward.shut();
    }

    /** Closes every open connection and refuses new ones until {@link #heal()}. */
    public void drop() {
        dropping = true;
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    /** Lets everything through again; held bytes are delivered in order. */
    public void heal() {
        dropping = false;
        forward.open();
        backward.open();
    }

    public boolean isCut() {
        return dropping || forward.isShut() || backward.isShut();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (Socket s : open) {
            closeQuietly(s);
        }
        forward.open();
        backward.open();
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            accepted.incrementAndGet();
            if (dropping) {
                closeQuietly(client);
                continue;
            }
            Thread t = new Thread(() -> connect(client), "proxy-" + from + "-" + to + "-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
        } catch (IOException e) {
            // The target is down (killed replica): behave like it, refuse.
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        open.add(client);
        open.add(upstream);
        if (dropping || closed) {
            closeBoth(client, upstream);
            return;
        }
        Thread back = new Thread(() -> pump(upstream, client, backward), "proxy-" + to + "-" + from + "-pump");
        back.setDaemon(true);
        back.start();
        pump(client, upstream, forward);
    }

    private void pump(Socket in, Socket out, Gate gate) {
        byte[] buf = new byte[BUFFER];
        try {
            InputStream is = in.getInputStream();
            OutputStream os = out.getOutputStream();
            while (!closed) {
                int n = is.read(buf);
                if (n < 0) {
                    break;
                }
                if (!gate.awaitOpen(() -> closed || in.isClosed() || out.isClosed())) {
                    break;
                }
                // Counted before the write, so whoever reads the bytes on the other side sees the count.
                bytes.addAndGet(n);
                os.write(buf, 0, n);
                os.flush();
            }
        } catch (SocketException e) {
            // closed by drop() or by the other pump: normal end
        } catch (IOException e) {
            // the peer went away
        } finally {
            closeBoth(in, out);
        }
    }

    private void closeBoth(Socket a, Socket b) {
        closeQuietly(a);
        closeQuietly(b);
        open.remove(a);
        open.remove(b);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // nothing to do: closing on the way out
        }
    }

    @Override
    public String toString() {
        return "proxy " + from + "->" + to + " :" + port() + " -> :" + targetPort + (isCut() ? " (cut)" : "");
    }

    /** A door that pumps wait at while it is shut. */
    static final class Gate {
        private boolean shut;

        synchronized void shut() {
            shut = true;
        }

        synchronized void open() {
            shut = false;
            notifyAll();
        }

        synchronized boolean isShut() {
            return shut;
        }

        /** Waits while shut; false when {@code abandon} says the connection is gone. Wakes every 100 ms. */
        synchronized boolean awaitOpen(java.util.function.BooleanSupplier abandon) {
            while (shut) {
                if (abandon.getAsBoolean()) {
                    return false;
                }
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !abandon.getAsBoolean();
        }
    }
}
