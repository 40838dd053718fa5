package io.bakeguard.http;

/** What the signing flow answers for one request. */
public sealed interface SignResult permits SignResult.Signed, SignResult.Failed {

    /** A signature, fresh or the stored one of an identical earlier request. */
    record Signed(String signature) implements SignResult {}

    /** Nothing was signed; {@code message} is meant for the caller. */
    record Failed(Failure failure, String message) implements SignResult {}

    /** Why nothing was signed, with its HTTP status (design.md s.5) and metric result. */
    enum Failure {
        MALFORMED(400, SignerMetrics.Result.ERROR),
        MISSING_AUTHENTICATION(401, SignerMetrics.Result.REFUSED_POLICY),
        BAD_AUTHENTICATION(403, SignerMetrics.Result.REFUSED_POLICY),
        POLICY(403, SignerMetrics.Result.REFUSED_POLICY),
        UNKNOWN_KEY(404, SignerMetrics.Result.ERROR),
        WATERMARK(409, SignerMetrics.Result.REFUSED_WATERMARK),
        NO_QUORUM(503, SignerMetrics.Result.NO_QUORUM),
        BUSY(503, SignerMetrics.Result.ERROR),
        SIGNER_ERROR(500, SignerMetrics.Result.ERROR);

        private final int status;
        private final SignerMetrics.Result result;

        Failure(int status, SignerMetrics.Result result) {
            this.status = status;
            this.result = result;
        }

        public int status() {
            return status;
        }

        public SignerMetrics.Result result() {
            return result;
        }
    }
}
