package io.bakeguard.http;

import java.util.concurrent.CompletableFuture;

/**
 * What a listener serves. {@link #handle} is called on a Netty event loop and must not block: it
 * hands slow work to an executor and completes the future later.
 */
public interface HttpService {

    CompletableFuture<HttpReply> handle(HttpCall call);

    /** The answer to a request whose body is over the limit (the connection is closed after it). */
    HttpReply tooLarge(int limitBytes);

    /** The answer to a request that is not valid HTTP or was not received in time. */
    HttpReply malformed(String why);

    /** The answer when too many requests are in flight on this listener. */
    HttpReply busy();
}
