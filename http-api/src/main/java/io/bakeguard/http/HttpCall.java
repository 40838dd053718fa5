package io.bakeguard.http;

import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One complete HTTP request, copied out of Netty's buffers so that services can use it on any
 * thread.
 *
 * @param method upper-case method name
 * @param path decoded path without the query
 * @param query decoded query parameters
 * @param authorization the {@code Authorization} header, when present
 * @param body the request body
 * @param remote the client's address
 */
public record HttpCall(
        String method,
        String path,
        Map<String, List<String>> query,
        Optional<String> authorization,
        byte[] body,
        SocketAddress remote) {

    /** The first value of query parameter {@code name}. */
    public Optional<String> param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }
}
