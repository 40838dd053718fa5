package io.bakeguard.app;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/** The Netty event loops of a process (NIO transport, spec/ratis.md s.3), shared by its listeners. */
public final class NettyRuntime implements AutoCloseable {
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;

    public NettyRuntime(int workerThreads) {
        boss = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("http-accept", true), NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(
                workerThreads, new DefaultThreadFactory("http-io", true), NioIoHandler.newFactory());
    }

    public EventLoopGroup boss() {
        return boss;
    }

    public EventLoopGroup workers() {
        return workers;
    }

    @Override
    public void close() {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
