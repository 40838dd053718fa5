package io.bakeguard.core.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Prefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** decode(forge(x)) == x for random blocks, (pre)attestations and generic operations (fixed seeds). */
class RequestRoundTripTest {
    private static final int CASES = 3_000;

    @Test
    void randomBlocksWithAndWithoutLockedRoundAndSeedNonceHashDecodeToTheirFields() throws Exception {
        Random rnd = new Random(0x11L);
        int locked = 0;
        int seeded = 0;
        for (int i = 0; i < CASES; i++) {
            RequestForger.Block b = RequestForger.randomBlock(rnd);
            byte[] bytes = RequestForger.block(b);
            assertThat(bytes.length)
                    .isEqualTo(198
                            + (b.lockedRound().isPresent() ? 4 : 0)
                            + (b.seedNonceHash().isPresent() ? 32 : 0));
            SigningRequest.Consensus c = (SigningRequest.Consensus) RequestDecoder.decode(bytes);
            assertThat(c.magic()).isEqualTo(MagicByte.BLOCK);
            assertThat(c.chainId()).isEqualTo(Base58Check.encode(Prefix.CHAIN_ID, b.chainId()));
            assertThat(c.level()).isEqualTo(b.level());
            assertThat(c.round()).isEqualTo(b.round());
            assertThat(c.operationTag()).isEmpty();
            assertThat(c.bytes()).isEqualTo(bytes);
            locked += b.lockedRound().isPresent() ? 1 : 0;
            seeded += b.seedNonceHash().isPresent() ? 1 : 0;
        }
        assertThat(locked).isBetween(CASES / 4, 3 * CASES / 4);
        assertThat(seeded).isBetween(CASES / 4, 3 * CASES / 4);
    }

    @Test
    void randomPreattestationsAndAttestationsOfEveryTagDecodeToTheirFields() throws Exception {
        Random rnd = new Random(0x13L);
        List<Integer> tagsSeen = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            RequestForger.ConsensusOp op = RequestForger.randomConsensus(rnd);
            byte[] bytes = RequestForger.consensus(op);
            SigningRequest.Consensus c = (SigningRequest.Consensus) RequestDecoder.decode(bytes);
            assertThat(c.magic().value()).isEqualTo(op.magic());
            assertThat(c.chainId()).isEqualTo(Base58Check.encode(Prefix.CHAIN_ID, op.chainId()));
            assertThat(c.level()).isEqualTo(op.level());
            assertThat(c.round()).isEqualTo(op.round());
            assertThat(c.operationTag()).isEqualTo(Optional.of(op.tag()));
            assertThat(c.bytes()).isEqualTo(bytes);
            if (!tagsSeen.contains(op.tag())) {
                tagsSeen.add(op.tag());
            }
        }
        assertThat(tagsSeen).containsExactlyInAnyOrder(20, 21, 23, 40, 41);
    }

    @Test
    void randomGenericOperationsOfEverySupportedKindDecodeToTheirKinds() throws Exception {
        Random rnd = new Random(0x03L);
        List<OperationKind> managers = RequestForger.FORGEABLE.stream()
                .filter(OperationKind::isManager)
                .toList();
        for (int i = 0; i < CASES; i++) {
            List<OperationKind> kinds = new ArrayList<>();
            if (rnd.nextInt(3) == 0) {
                kinds.add(RequestForger.FORGEABLE.get(rnd.nextInt(RequestForger.FORGEABLE.size())));
            } else {
                int n = 1 + rnd.nextInt(5);
                for (int j = 0; j < n; j++) {
                    kinds.add(managers.get(rnd.nextInt(managers.size())));
                }
            }
            List<byte[]> contents = new ArrayList<>();
            kinds.forEach(k -> contents.add(RequestForger.genericContent(k, rnd)));
            byte[] branch = RequestForger.randomBytes(rnd, 32);
            byte[] bytes = RequestForger.generic(branch, contents);
            SigningRequest.GenericOperation g = (SigningRequest.GenericOperation) RequestDecoder.decode(bytes);
            assertThat(g.operations()).containsExactlyElementsOf(kinds);
            assertThat(g.branch()).isEqualTo(Base58Check.encode(Prefix.BLOCK_HASH, branch));
            assertThat(g.bytes()).isEqualTo(bytes);
        }
    }
}
