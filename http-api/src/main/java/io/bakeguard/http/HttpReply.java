package io.bakeguard.http;

import java.nio.charset.StandardCharsets;

/** A complete response: status, content type, body; {@code close} ends the connection after it. */
public record HttpReply(int status, String contentType, byte[] body, boolean close) {
    public static final String JSON = "application/json";

    public static HttpReply json(int status, String json) {
        return new HttpReply(status, JSON, json.getBytes(StandardCharsets.UTF_8), false);
    }

    public static HttpReply text(int status, String contentType, String text) {
        return new HttpReply(status, contentType, text.getBytes(StandardCharsets.UTF_8), false);
    }

    public HttpReply closing() {
        return new HttpReply(status, contentType, body, true);
    }
}
