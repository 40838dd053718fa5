package io.bakeguard.http;

import io.bakeguard.app.NettyRuntime;
import io.bakeguard.core.key.KeyFormatException;
import io.bakeguard.core.key.PublicKey;
import io.bakeguard.core.key.SecretKey;
import io.bakeguard.core.policy.KeyPolicy;
import io.bakeguard.core.signer.SoftwareSigner;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The signer and admin APIs on real loopback listeners, backed by the in-memory guard double and
 * software signers for the vector keys. For tests of the HTTP layer; whole-process tests use
 * real {@code bakeguard serve} JVMs.
 */
final class ApiFixture implements AutoCloseable {
    static final List<String> KEY_IDS = List.of("tz1_bootstrap1", "tz2_octez_test", "tz3_octez_test", "tz4_tezt");

    final InMemoryGuard guard = new InMemoryGuard();
    final java.util.concurrent.atomic.AtomicInteger signatures = new java.util.concurrent.atomic.AtomicInteger();
    final SignerMetrics metrics = new SignerMetrics();
    final NettyRuntime netty = new NettyRuntime(2);
    final ThreadPoolExecutor executor =
            new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256));
    final HttpListener signer;
    final HttpListener admin;
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiFixture() throws Exception {
        this(List.of(), Duration.ofSeconds(5), false, Optional.empty());
    }

    ApiFixture(List<String> authorizedKeys, Duration readTimeout, boolean allowOptional, Optional<String> token)
            throws Exception {
        KeyPolicy policy = KeyPolicy.parse(null, null, null, "allow");
        List<KeyRing.ManagedKey> keys = new ArrayList<>();
        for (String id : KEY_IDS) {
            SecretKey sk = SecretKey.parse(Vectors.key(id).get("secret_key").asText(), Optional.empty());
            keys.add(new KeyRing.ManagedKey(new CountingSigner(new SoftwareSigner(sk), signatures), policy));
        }
        List<PublicKey> authorized = new ArrayList<>();
        for (String pk : authorizedKeys) {
            try {
                authorized.add(PublicKey.parse(pk));
            } catch (KeyFormatException e) {
                throw new IllegalArgumentException(e);
            }
        }
        SigningService service = new SigningService(
                new KeyRing(keys), authorized, guard, executor, Duration.ofSeconds(2), metrics, Clock.systemUTC());
        metrics.bindGuard(guard, guard::leaderChanges);
        signer = HttpListener.start(
                "signer",
                new InetSocketAddress("127.0.0.1", 0),
                Optional.empty(),
                new HttpListener.Limits(8, 8, SignerApi.MAX_BODY_BYTES, Duration.ofSeconds(30), readTimeout),
                new SignerApi(service, executor, allowOptional, allowOptional),
                netty.boss(),
                netty.workers());
        admin = HttpListener.start(
                "admin",
                new InetSocketAddress("127.0.0.1", 0),
                Optional.empty(),
                new HttpListener.Limits(8, 8, 1 << 20, Duration.ofSeconds(30), readTimeout),
                new AdminApi(
                        guard,
                        metrics,
                        executor,
                        token,
                        Duration.ofSeconds(2),
                        Clock.systemUTC(),
                        java.util.Map.of("t1", "http://127.0.0.1:1")),
                netty.boss(),
                netty.workers());
    }

    URI signerUri(String path) {
        return URI.create("http://127.0.0.1:" + signer.address().getPort() + path);
    }

    URI adminUri(String path) {
        return URI.create("http://127.0.0.1:" + admin.address().getPort() + path);
    }

    HttpResponse<String> get(URI uri) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(URI uri, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> sign(String pkh, String hex) throws Exception {
        return post(signerUri("/keys/" + pkh), "\"" + hex + "\"");
    }

    @Override
    public void close() {
        signer.close();
        admin.close();
        netty.close();
        executor.shutdownNow();
        metrics.close();
    }
}
