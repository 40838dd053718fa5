package io.bakeguard.benchmarks;

import io.bakeguard.core.crypto.Blake2b;
import io.bakeguard.core.key.Curve;
import io.bakeguard.core.key.SecretKey;
import io.bakeguard.core.request.DecodingException;
import io.bakeguard.core.request.RequestDecoder;
import io.bakeguard.core.request.SigningRequest;
import io.bakeguard.core.signer.SignatureVersion;
import io.bakeguard.core.signer.SigningException;
import io.bakeguard.core.signer.SoftwareSigner;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-request CPU work of the signer core: the blake2b-256 watermark digest, decoding, and one
 * signature per curve. Requests are the forged Tallinn-layout block (234 bytes) and attestation (80
 * bytes) of spec/vectors/signatures.json; keys are generated from a fixed seed at setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class SignerCoreBenchmarks {
    static final String BLOCK_HEX =
            "117a06a77000989680187379a391465f2a5437c7d6bc120befb87b7c1513687c59afd7376a43a3cc420f000000006955"
                    + "b90004e18edbcc7918a0cb41832fc4a125767250ebd561f9d12579b8ce320a60dd6b2900000025000000010200000004"
                    + "00989680000000040000000000000004ffffffff0000000400000001475db3f8b26207c1d3634ecdbd13a2e04f5a988c"
                    + "f04c9ff4f7cce253c5bb10493cf2d09da453bbdd6b68d8a1acd5f15ba23ba46d4ff087592b3d319432500a5000000000"
                    + "00000000deadbeefff607e603d1ec274779cbd66003c54ad789a60fccf2fae7dc3af33c33ad2c492a802";
    static final String ATTESTATION_HEX =
            "137a06a7708fcf233671b6a04fcf679d2a381c2544ea6c1ea29ba6157776ed8424c7ccd00b1500070098968000000001"
                    + "3cf2d09da453bbdd6b68d8a1acd5f15ba23ba46d4ff087592b3d319432500a50";

    @Param({"block", "attestation"})
    public String request;

    private byte[] bytes;

    @Setup
    public void setUp() {
        bytes = HexFormat.of().parseHex(request.equals("block") ? BLOCK_HEX : ATTESTATION_HEX);
    }

    @Benchmark
    public byte[] blake2b256() {
        return Blake2b.hash256(bytes);
    }

    @Benchmark
    public SigningRequest decode() throws DecodingException {
        return RequestDecoder.decode(bytes);
    }

    /** One signature of the attestation request per curve (BLS: proof-of-possession scheme, V3). */
    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Fork(1)
    public static class Sign {
        @Param({"ED25519", "SECP256K1", "P256", "BLS12_381"})
        public String curve;

        private SoftwareSigner signer;
        private byte[] attestation;

        @Setup
        public void setUp() throws NoSuchAlgorithmException {
            SecureRandom rnd = SecureRandom.getInstance("SHA1PRNG");
            rnd.setSeed(42);
            signer = new SoftwareSigner(SecretKey.generate(Curve.valueOf(curve), rnd));
            attestation = HexFormat.of().parseHex(ATTESTATION_HEX);
        }

        @Benchmark
        public String sign() throws SigningException {
            return signer.sign(attestation, SignatureVersion.V3);
        }
    }
}
