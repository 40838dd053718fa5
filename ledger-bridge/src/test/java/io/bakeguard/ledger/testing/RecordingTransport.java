package io.bakeguard.ledger.testing;

import io.bakeguard.ledger.apdu.ApduTransport;
import io.bakeguard.ledger.apdu.ResponseApdu;
import io.bakeguard.ledger.apdu.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Records every command and reply as hex, for golden tests of the exact bytes on the wire. */
public final class RecordingTransport implements ApduTransport {
    private final ApduTransport inner;
    private final List<String> commands = new ArrayList<>();
    private final List<String> replies = new ArrayList<>();

    public RecordingTransport(ApduTransport inner) {
        this.inner = inner;
    }

    @Override
    public ResponseApdu exchange(byte[] command, Duration timeout) throws TransportException {
        commands.add(HexFormat.of().formatHex(command));
        ResponseApdu r = inner.exchange(command, timeout);
        replies.add(HexFormat.of().formatHex(r.toBytes()));
        return r;
    }

    public List<String> commands() {
        return commands;
    }

    public List<String> replies() {
        return replies;
    }

    public String lastCommand() {
        return commands.get(commands.size() - 1);
    }

    public String lastReply() {
        return replies.get(replies.size() - 1);
    }

    @Override
    public String describe() {
        return "recording(" + inner.describe() + ")";
    }

    @Override
    public void close() {
        inner.close();
    }
}
