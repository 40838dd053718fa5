package io.bakeguard.ledger.apdu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Speculos' APDU-over-TCP framing, spec/ledger-baking-apdu.md s.5: the reply length excludes the SW. */
class SpeculosFramingTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void versionExchangeIsTheSpecsExample() throws Exception {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        SpeculosFraming.writeCommand(req, HEX.parseHex("8000000000"));
        assertThat(HEX.formatHex(req.toByteArray())).isEqualTo("00000005" + "8000000000");
        ByteArrayOutputStream rep = new ByteArrayOutputStream();
        SpeculosFraming.writeResponse(rep, new ResponseApdu(HEX.parseHex("01020501"), 0x9000));
        assertThat(HEX.formatHex(rep.toByteArray())).isEqualTo("00000004" + "01020501" + "9000");
        ResponseApdu r = SpeculosFraming.readResponse(new ByteArrayInputStream(rep.toByteArray()));
        assertThat(r).isEqualTo(new ResponseApdu(HEX.parseHex("01020501"), 0x9000));
        assertThat(SpeculosFraming.readCommand(new ByteArrayInputStream(req.toByteArray())))
                .isEqualTo(HEX.parseHex("8000000000"));
    }

    @Test
    void statusWordOnlyReplyHasLengthZero() throws Exception {
        ResponseApdu r = SpeculosFraming.readResponse(new ByteArrayInputStream(HEX.parseHex("000000006a80")));
        assertThat(r.sw()).isEqualTo(0x6A80);
        assertThat(r.data()).isEmpty();
    }

    @Test
    void truncatedOversizeAndNegativeLengthsAreTypedErrors() {
        assertThatThrownBy(() -> SpeculosFraming.readResponse(new ByteArrayInputStream(HEX.parseHex("0000000401"))))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("inside a reply");
        assertThatThrownBy(() -> SpeculosFraming.readResponse(new ByteArrayInputStream(HEX.parseHex("0001000000"))))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> SpeculosFraming.readResponse(new ByteArrayInputStream(HEX.parseHex("ffffffff"))))
                .isInstanceOf(TransportException.class);
        assertThatThrownBy(() -> SpeculosFraming.readResponse(new ByteArrayInputStream(new byte[2])))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("before the reply");
        assertThatThrownBy(() -> SpeculosFraming.readCommand(new ByteArrayInputStream(HEX.parseHex("00001000"))))
                .hasMessageContaining("out of range");
    }

    @Test
    void cleanEndOfStreamBeforeACommandIsNotAnError() throws Exception {
        assertThat(SpeculosFraming.readCommand(new ByteArrayInputStream(new byte[0])))
                .isNull();
    }

    @Test
    void responseApduNeedsAStatusWord() {
        assertThatThrownBy(() -> ResponseApdu.parse(new byte[] {(byte) 0x90})).isInstanceOf(TransportException.class);
    }
}
