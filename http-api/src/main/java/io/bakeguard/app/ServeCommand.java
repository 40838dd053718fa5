package io.bakeguard.app;

import io.bakeguard.app.config.BakeguardConfig;
import io.bakeguard.app.config.ConfigLoader;
import io.bakeguard.http.KeyRing;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bakeguard serve --config FILE}: runs one replica until the process is stopped. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run one replica (Raft peer, signer API, admin API) from a config file.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "bakeguard.yaml")
    Path config;

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = System.getenv();
        BakeguardConfig c = ConfigLoader.load(config, env);
        String file = config.toString();
        KeyRing keys = KeyLoader.load(c, file, env);
        NettyRuntime netty = new NettyRuntime(Math.max(2, Runtime.getRuntime().availableProcessors()));
        Replica replica;
        try {
            replica = Replica.start(c, file, keys, netty, env);
        } catch (Exception e) {
            netty.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            replica.close();
                            netty.close();
                            stopped.countDown();
                        },
                        "bakeguard-shutdown"));
        System.out.println("bakeguard " + c.node().id() + " serving: signer http"
                + (c.signer().tls().isPresent() ? "s" : "") + "://"
                + replica.signerAddress().getHostString() + ":"
                + replica.signerAddress().getPort() + "  admin http://"
                + replica.adminAddress().getHostString()
                + ":" + replica.adminAddress().getPort());
        stopped.await();
        return 0;
    }
}
