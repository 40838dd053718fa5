package io.bakeguard.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy that delays every byte by a fixed one-way delay in each direction, so that a
 * connection through it has a round-trip time of twice the delay plus loopback's. It stands in for a
 * WAN link between replicas where {@code tc netem} is not available. Order is kept (one FIFO per
 * direction) and bandwidth is not limited. Each direction of each connection has a reader thread that
 * stamps chunks with their due time and a writer thread that sends them when due.
 */
final class DelayProxy implements AutoCloseable {
    private record Chunk(long dueNanos, byte[] data) {}

    private static final Chunk EOF = new Chunk(0, new byte[0]);

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final long delayNanos;
    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicLong bytes = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean closed;

    private DelayProxy(ServerSocket listener, InetSocketAddress target, Duration oneWayDelay) {
        this.listener = listener;
        this.target = target;
        this.delayNanos = oneWayDelay.toNanos();
        this.acceptor = new Thread(this::acceptLoop, "delay-proxy-" + listener.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    /** Listens on {@code 127.0.0.1:listenPort} (0 = any) and forwards to {@code target}. */
    static DelayProxy start(int listenPort, InetSocketAddress target, Duration oneWayDelay) throws IOException {
        if (oneWayDelay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", listenPort), 64);
        DelayProxy p = new DelayProxy(s, target, oneWayDelay);
        p.acceptor.start();
        return p;
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Bytes forwarded so far, both directions. */
    long forwardedBytes() {
        return bytes.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket upstream = new Socket();
            try {
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                upstream.connect(target, 2000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            synchronized (sockets) {
                if (closed) {
                    closeQuietly(client);
                    closeQuietly(upstream);
                    return;
                }
                sockets.add(client);
                sockets.add(upstream);
            }
            java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger(2);
            pump(client, upstream, "up", open);
            pump(upstream, client, "down", open);
        }
    }

    /** One direction; the last of the connection's two directions to end closes both sockets. */
    private void pump(Socket from, Socket to, String dir, java.util.concurrent.atomic.AtomicInteger open) {
        LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(
                () -> {
                    byte[] buf = new byte[16384];
                    try {
                        InputStream in = from.getInputStream();
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            queue.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buf, n)));
                        }
                    } catch (IOException e) {
                        // connection reset or closed: end this direction
                    }
                    queue.add(EOF);
                },
                "delay-proxy-read-" + dir);
        Thread writer = new Thread(
                () -> {
                    try {
                        OutputStream out = to.getOutputStream();
                        while (true) {
                            Chunk c = queue.poll(1, TimeUnit.SECONDS);
                            if (c == null) {
                                if (closed) {
                                    break;
                                }
                                continue;
                            }
                            if (c == EOF) {
                                break;
                            }
                            long wait = c.dueNanos() - System.nanoTime();
                            if (wait > 0) {
                                TimeUnit.NANOSECONDS.sleep(wait);
                            }
                            out.write(c.data());
                            out.flush();
                            bytes.addAndGet(c.data().length);
                        }
                    } catch (IOException | InterruptedException e) {
                        // peer gone or proxy closed: end both directions
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                    try {
                        to.shutdownOutput(); // pass the half-close on
                    } catch (IOException ignored) {
                        // already closed
                    }
                    if (open.decrementAndGet() == 0) {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "delay-proxy-write-" + dir);
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // nothing to do
        }
        synchronized (sockets) {
            sockets.forEach(DelayProxy::closeQuietly);
            sockets.clear();
        }
    }
}
