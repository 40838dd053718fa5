package io.bakeguard.app.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A client of one replica's admin API (design.md s.5). Every failure becomes an {@link OpsException}
 * whose one-line message names the replica and says what to do; HTTP refusals keep their status in
 * {@link AdminClient.Refused} so commands can explain them.
 */
public final class AdminClient {
    /** Admin answers are small; a bigger body is a wrong URL or a broken server. */
    static final int MAX_BODY = 16 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Optional<String> token;
    private final Duration timeout;
    private final HttpClient http;

    public AdminClient(URI base, Optional<String> token, Duration timeout) {
        this.base = base;
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A client of another replica with the same token and timeout. */
    public AdminClient at(URI otherBase) {
        return new AdminClient(otherBase, token, timeout);
    }

    public URI base() {
        return base;
    }

    /**
     * Parses an {@code --admin} value: {@code http(s)://host:port}, or {@code host:port} taken as http.
     *
     * @throws OpsException with the usage exit code when it is not such a URL
     */
    public static URI parseBase(String text) {
        String t = text.strip();
        if (!t.contains("://")) {
            t = "http://" + t;
        }
        try {
            URI u = new URI(t);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new URISyntaxException(text, "not an http(s) URL with a host");
            }
            String path = u.getPath() == null ? "" : u.getPath().replaceAll("/+$", "");
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), path, null, null);
        } catch (URISyntaxException e) {
            throw OpsException.usage("--admin '" + text + "' is not a URL: pass e.g. http://127.0.0.1:9583");
        }
    }

    public JsonNode get(String pathAndQuery) {
        return send(request(pathAndQuery).GET(), "GET", pathAndQuery);
    }

    public JsonNode post(String path, Object body) {
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode request body", e);
        }
        return send(
                request(path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)),
                "POST",
                path);
    }

    public JsonNode delete(String path) {
        return send(request(path).DELETE(), "DELETE", path);
    }

    /** GET that answers with the status only (for {@code /readyz}); unreachable still throws. */
    public int status(String path) {
        try {
            return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OpsException.failure("interrupted while calling " + base);
        }
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(timeout)
                .header("Accept", "application/json");
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    private JsonNode send(HttpRequest.Builder req, String method, String path) {
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OpsException.failure("interrupted while calling " + base);
        }
        byte[] body = resp.body() == null ? new byte[0] : resp.body();
        if (body.length > MAX_BODY) {
            throw OpsException.failure(base + " answered " + method + " " + path + " with " + body.length
                    + " bytes: check that --admin points at a bakeguard admin API");
        }
        int code = resp.statusCode();
        if (code / 100 == 2) {
            if (body.length == 0) {
                return JSON.createObjectNode();
            }
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw OpsException.failure(base + " answered " + method + " " + path
                        + " with something that is not JSON: check that --admin points at a bakeguard admin API");
            }
        }
        String detail = errorDetail(body);
        if (code == 401 || code == 403) {
            throw new Refused(
                    code,
                    detail,
                    base + " refused " + method + " " + path + " (" + code + (detail.isEmpty() ? "" : ": " + detail)
                            + "): pass the admin token with --token-file FILE or BAKEGUARD_ADMIN_TOKEN");
        }
        if (code == 404 && detail.isEmpty()) {
            throw new Refused(
                    code,
                    detail,
                    base + " has no " + path
                            + " (404): check that --admin points at a bakeguard admin API of the same version");
        }
        throw new Refused(
                code,
                detail,
                base + " answered " + code + " to " + method + " " + path + (detail.isEmpty() ? "" : ": " + detail));
    }

    /** The message of an error body: {@code {"error": ...}}, octez's {@code [{"msg": ...}]}, or text. */
    static String errorDetail(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode n = JSON.readTree(text);
            if (n != null && n.isArray() && n.size() > 0) {
                n = n.get(0);
            }
            if (n != null && n.isObject()) {
                for (String f : new String[] {"error", "message", "msg", "reason"}) {
                    if (n.hasNonNull(f) && n.get(f).isTextual()) {
                        return OpsException.oneLine(n.get(f).asText());
                    }
                }
            }
            if (n != null && n.isTextual()) {
                return OpsException.oneLine(n.asText());
            }
        } catch (IOException notJson) {
            // fall through to the raw text
        }
        String line = OpsException.oneLine(text);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private OpsException unreachable(IOException e) {
        String why;
        if (e instanceof HttpConnectTimeoutException) {
            why = "no connection within " + timeout.toSeconds() + "s";
        } else if (e instanceof HttpTimeoutException) {
            why = "no answer within " + timeout.toSeconds() + "s";
        } else if (e instanceof ConnectException) {
            why = "connection refused";
        } else {
            why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        return new Unreachable(base, why);
    }

    /** The replica could not be reached at all. */
    public static final class Unreachable extends OpsException {
        private final String why;

        Unreachable(URI base, String why) {
            super(
                    FAILURE,
                    "cannot reach the admin API at " + base + " (" + why
                            + "): check that the replica runs and pass --admin URL or set BAKEGUARD_ADMIN");
            this.why = why;
        }

        public String why() {
            return why;
        }
    }

    /** The replica answered with an error status. */
    public static final class Refused extends OpsException {
        private final int status;
        private final String detail;

        Refused(int status, String detail, String message) {
            super(FAILURE, message);
            this.status = status;
            this.detail = detail;
        }

        public int status() {
            return status;
        }

        /** The server's own message, possibly empty. */
        public String detail() {
            return detail;
        }
    }
}
