package io.bakeguard.ledger.apdu;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * APDUs over a TCP stream with Speculos framing (spec/ledger-baking-apdu.md s.5): to a real Speculos,
 * to our simulator's listener, or (through {@code io.bakeguard.ledger.bridge}) to a TLS socket.
 */
public class SpeculosTcpTransport implements ApduTransport {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String description;

    /** Wraps an already connected socket (plain or TLS). */
    public SpeculosTcpTransport(Socket socket, String description) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
        this.description = description;
    }

    /** Connects to {@code host:port} within {@code connectTimeout}. */
    public static SpeculosTcpTransport connect(String host, int port, Duration connectTimeout)
            throws TransportException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            return new SpeculosTcpTransport(s, "tcp://" + host + ":" + port);
        } catch (IOException e) {
            closeQuietly(s);
            throw new TransportException("cannot connect to tcp://" + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ResponseApdu exchange(byte[] command, Duration timeout) throws TransportException {
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            SpeculosFraming.writeCommand(out, command);
            return SpeculosFraming.readResponse(in);
        } catch (SocketTimeoutException e) {
            throw new TransportException("no reply from " + description + " within " + timeout.toMillis() + " ms", e);
        } catch (TransportException e) {
            throw e;
        } catch (IOException e) {
            throw new TransportException(description + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a broken socket: nothing left to do
        }
    }
}
