package io.bakeguard.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * octez's error body: {@code [{"kind":"temporary","id":"failure","msg":"..."}]}
 * (spec/tezos-remote-signer.md s.1.3), with the status codes of design.md s.5.
 */
final class OctezErrors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OctezErrors() {}

    static HttpReply reply(int status, String msg) {
        ArrayNode arr = JSON.createArrayNode();
        arr.addObject().put("kind", "temporary").put("id", "failure").put("msg", msg);
        return HttpReply.json(status, arr.toString());
    }
}
