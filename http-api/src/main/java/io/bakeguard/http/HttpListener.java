package io.bakeguard.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 (or HTTPS) listener with keep-alive and the limits that keep slow or idle clients
 * from starving bakers: a connection cap, an in-flight cap, a body cap, an idle timeout and a
 * deadline for receiving each complete request (slow-loris). Requests on one connection are served
 * one at a time (reading pauses while a response is pending), so responses keep request order.
 */
public final class HttpListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpListener.class);

    /** Limits of one listener. */
    public record Limits(
            int maxConnections, int maxInFlight, int maxBodyBytes, Duration idleTimeout, Duration readTimeout) {}

    private final String name;
    private final Channel serverChannel;
    private final AtomicInteger connections;

    private HttpListener(String name, Channel serverChannel, AtomicInteger connections) {
        this.name = name;
        this.serverChannel = serverChannel;
        this.connections = connections;
    }

    /**
     * Binds and starts serving.
     *
     * @throws InterruptedException when interrupted while binding
     * @throws java.io.IOException when the address cannot be bound (message names it)
     */
    public static HttpListener start(
            String name,
            InetSocketAddress address,
            Optional<SslContext> ssl,
            Limits limits,
            HttpService service,
            EventLoopGroup boss,
            EventLoopGroup workers)
            throws InterruptedException, java.io.IOException {
        AtomicInteger connections = new AtomicInteger();
        Semaphore inFlight = new Semaphore(limits.maxInFlight());
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("limit", new ConnectionLimit(connections, limits.maxConnections(), name));
                        ssl.ifPresent(s -> p.addLast("tls", s.newHandler(ch.alloc())));
                        RequestDeadline deadline = new RequestDeadline(limits.readTimeout(), service);
                        p.addLast(
                                "idle",
                                new IdleStateHandler(0, 0, limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
                        p.addLast("idleClose", new IdleClose());
                        p.addLast("deadline", deadline);
                        p.addLast("codec", new HttpServerCodec(4096, 8192, 8192));
                        p.addLast("keepAlive", new HttpServerKeepAliveHandler());
                        p.addLast("aggregate", new Aggregator(limits.maxBodyBytes(), service));
                        p.addLast("complete", deadline.completion());
                        p.addLast("service", new ServiceHandler(service, inFlight));
                    }
                });
        try {
            Channel ch = b.bind(address).sync().channel();
            LOG.info("listener={} address={} started", name, ch.localAddress());
            return new HttpListener(name, ch, connections);
        } catch (Exception e) {
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            throw new java.io.IOException(
                    "cannot listen on " + address.getHostString() + ":" + address.getPort() + " for the " + name
                            + " API: " + e.getMessage(),
                    e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    public int openConnections() {
        return connections.get();
    }

    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        LOG.info("listener={} stopped", name);
    }

    static FullHttpResponse toResponse(HttpReply r) {
        FullHttpResponse resp = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(r.body()));
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        if (r.close()) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return resp;
    }

    static void writeAndClose(ChannelHandlerContext ctx, HttpReply r) {
        ctx.channel().config().setAutoRead(false);
        // Through the whole pipeline: the caller may sit before the HTTP encoder.
        ctx.channel().writeAndFlush(toResponse(r.closing())).addListener(ChannelFutureListener.CLOSE);
    }

    /** Refuses connections above the cap by closing them at once. */
    private static final class ConnectionLimit extends ChannelInboundHandlerAdapter {
        private final AtomicInteger count;
        private final int max;
        private final String name;
        private boolean counted;

        ConnectionLimit(AtomicInteger count, int max, String name) {
            this.count = count;
            this.max = max;
            this.name = name;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            if (count.incrementAndGet() > max) {
                count.decrementAndGet();
                LOG.warn("listener={} connection refused: {} connections open (max)", name, max);
                ctx.close();
                return;
            }
            counted = true;
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (counted) {
                counted = false;
                count.decrementAndGet();
            }
            super.channelInactive(ctx);
        }
    }

    /** Closes connections that sent and received nothing for the idle timeout. */
    private static final class IdleClose extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, evt);
        }
    }

    /**
     * The deadline for receiving one complete request, armed by its first byte and disarmed when
     * the aggregated request comes out of the codec. A client that trickles bytes gets a 408-like
     * error and the connection closed.
     */
    private static final class RequestDeadline extends ChannelDuplexHandler {
        private final Duration timeout;
        private final HttpService service;
        private ScheduledFuture<?> timer;
        private boolean awaitingResponse;

        RequestDeadline(Duration timeout, HttpService service) {
            this.timeout = timeout;
            this.service = service;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (timer == null && !awaitingResponse && msg instanceof ByteBuf buf && buf.isReadable()) {
                timer = ctx.executor()
                        .schedule(
                                () -> {
                                    timer = null;
                                    if (ctx.channel().isActive()) {
                                        writeAndClose(
                                                ctx,
                                                service.malformed(
                                                        "request not received within " + timeout.toMillis() + " ms"));
                                    }
                                },
                                timeout.toMillis(),
                                TimeUnit.MILLISECONDS);
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            disarm();
            super.channelInactive(ctx);
        }

        void disarm() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        ChannelInboundHandlerAdapter completion() {
            RequestDeadline self = this;
            return new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                    self.disarm();
                    self.awaitingResponse = true;
                    super.channelRead(ctx, msg);
                }
            };
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise)
                throws Exception {
            if (msg instanceof FullHttpResponse) {
                awaitingResponse = false;
            }
            super.write(ctx, msg, promise);
        }
    }

    /** Aggregates bodies up to the cap; above it answers with the service's error and closes. */
    private static final class Aggregator extends HttpObjectAggregator {
        private final HttpService service;
        private final int limit;

        Aggregator(int limit, HttpService service) {
            super(limit);
            this.limit = limit;
            this.service = service;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            writeAndClose(ctx, service.tooLarge(limit));
        }
    }

    /** Hands complete requests to the service and writes its reply. */
    private static final class ServiceHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final HttpService service;
        private final Semaphore inFlight;

        ServiceHandler(HttpService service, Semaphore inFlight) {
            this.service = service;
            this.inFlight = inFlight;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (!req.decoderResult().isSuccess()) {
                Throwable cause = req.decoderResult().cause();
                String why = cause instanceof TooLongFrameException
                        ? "request line or headers too long"
                        : "malformed HTTP request";
                writeAndClose(ctx, service.malformed(why));
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            QueryStringDecoder q = new QueryStringDecoder(req.uri());
            byte[] body = new byte[req.content().readableBytes()];
            req.content().getBytes(req.content().readerIndex(), body);
            HttpCall call = new HttpCall(
                    req.method().name(),
                    q.path(),
                    q.parameters(),
                    Optional.ofNullable(req.headers().get(HttpHeaderNames.AUTHORIZATION)),
                    body,
                    ctx.channel().remoteAddress());
            if (!inFlight.tryAcquire()) {
                reply(ctx, service.busy(), keepAlive);
                return;
            }
            ctx.channel().config().setAutoRead(false);
            CompletableFuture<HttpReply> f;
            try {
                f = service.handle(call);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((r, err) -> {
                inFlight.release();
                HttpReply reply = r;
                if (err != null) {
                    LOG.error("unexpected error serving {} {}", call.method(), call.path(), err);
                    reply = service.malformed(
                            "internal error: " + err.getClass().getSimpleName());
                    reply = new HttpReply(500, reply.contentType(), reply.body(), true);
                }
                reply(ctx, reply, keepAlive);
            });
        }

        private static void reply(ChannelHandlerContext ctx, HttpReply r, boolean keepAlive) {
            FullHttpResponse resp = toResponse(r);
            if (!keepAlive || r.close()) {
                HttpUtil.setKeepAlive(resp, false);
                ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
            } else {
                HttpUtil.setKeepAlive(resp, true);
                ctx.writeAndFlush(resp).addListener(f -> {
                    ctx.channel().config().setAutoRead(true);
                    ctx.read();
                });
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("connection from {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
