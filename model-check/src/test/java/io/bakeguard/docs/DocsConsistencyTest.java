package io.bakeguard.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.bakeguard.app.Bakeguard;
import io.bakeguard.app.KeyLoader;
import io.bakeguard.app.config.BakeguardConfig;
import io.bakeguard.app.config.ConfigException;
import io.bakeguard.app.config.ConfigLoader;
import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Watermark;
import io.bakeguard.core.watermark.WatermarkKind;
import io.bakeguard.http.AdminApi;
import io.bakeguard.http.HttpCall;
import io.bakeguard.http.HttpReply;
import io.bakeguard.http.HttpService;
import io.bakeguard.http.KeyRing;
import io.bakeguard.http.SignerApi;
import io.bakeguard.http.SignerMetrics;
import io.bakeguard.http.SigningService;
import io.bakeguard.raft.ClusterStatus;
import io.bakeguard.raft.WatermarkGuard;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The documentation names only things that exist: config keys and their environment variables,
 * {@code bakeguard} commands and options, metric names and HTTP endpoints are checked against the
 * real config records and loader, the real picocli tree, the real metrics registry and the real
 * request routers. Every failure names the doc file, the line and the unknown item.
 */
class DocsConsistencyTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper BINDER = new ObjectMapper().registerModule(new Jdk8Module());
    private static final String SOME_PKH = "tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx";

    /** design.md s.7, copied as data: each metric with the labels it must carry. */
    private static final List<String> DESIGN_METRICS = List.of(
            "bakeguard_sign_requests_total{key,kind,result}",
            "bakeguard_sign_duration_seconds_bucket{kind,phase}",
            "bakeguard_watermark_level{key,chain,kind}",
            "bakeguard_watermark_round{key,chain,kind}",
            "bakeguard_raft_role",
            "bakeguard_raft_term",
            "bakeguard_raft_commit_index",
            "bakeguard_raft_applied_index",
            "bakeguard_raft_leader_changes_total",
            "bakeguard_ledger_connected{device}");

    private static Path docsDir;
    private static Path repoDir;
    private static List<Doc> docs;

    /** One markdown file: its lines and its fenced code blocks. */
    record Doc(Path file, List<String> lines, List<Block> blocks) {
        String where(int line) {
            return repoDir.relativize(file) + ":" + line;
        }
    }

    /** A fenced code block; {@code firstLine} is the 1-based line of its first content line. */
    record Block(String lang, int firstLine, List<String> lines) {
        String text() {
            return String.join("\n", lines) + "\n";
        }
    }

    @BeforeAll
    static void readDocs() throws IOException {
        docsDir = Path.of(System.getProperty("bakeguard.docs.dir", "../docs"))
                .toAbsolutePath()
                .normalize();
        repoDir = docsDir.getParent();
        assertThat(docsDir.resolve("index.md")).as("docs directory %s", docsDir).exists();
        docs = new ArrayList<>();
        try (Stream<Path> s = Files.list(docsDir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
                docs.add(parse(p));
            }
        }
    }

    static Doc parse(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        String lang = null;
        int start = 0;
        List<String> body = null;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            String t = l.strip();
            if (body == null && t.startsWith("```")) {
                lang = t.substring(3).strip().toLowerCase(java.util.Locale.ROOT);
                start = i + 2;
                body = new ArrayList<>();
            } else if (body != null && t.startsWith("```")) {
                blocks.add(new Block(lang, start, body));
                body = null;
            } else if (body != null) {
                body.add(l);
            }
        }
        assertThat(body)
                .as("%s: a code block opened at line %d is never closed", file, start - 1)
                .isNull();
        return new Doc(file, lines, blocks);
    }

    // ---------------------------------------------------------------- (1) config examples

    @Test
    void everyConfigExampleUsesOnlyKeysOfTheConfigModelAndCompleteOnesLoad(@TempDir Path tmp) throws Exception {
        Set<String> known = new TreeSet<>();
        configPaths(BINDER.constructType(BakeguardConfig.class), "", known);
        assertThat(known)
                .as("config key paths found in the config records")
                .contains("node.data-dir", "cluster.raft", "signer.tls.private-key", "keys.policy.first-use");
        List<String> problems = new ArrayList<>();
        int checked = 0;
        int loaded = 0;
        for (Doc d : docs) {
            for (Block b : d.blocks()) {
                if (!(b.lang().equals("yaml") || b.lang().equals("yml"))) {
                    continue;
                }
                List<JsonNode> roots;
                try {
                    roots = YAML.readerFor(JsonNode.class)
                            .<JsonNode>readValues(b.text())
                            .readAll();
                } catch (IOException e) {
                    problems.add(d.where(b.firstLine()) + ": YAML block does not parse: " + e.getMessage());
                    continue;
                }
                for (JsonNode root : roots) {
                    if (root == null
                            || !root.isObject()
                            || !(root.has("node") || root.has("keys") || root.has("signer"))) {
                        continue;
                    }
                    checked++;
                    List<String> used = new ArrayList<>();
                    usedPaths(root, "", used);
                    for (String u : used) {
                        if (!known.contains(u)) {
                            problems.add(d.where(lineOf(b, u)) + ": unknown config key '" + u + "'");
                        }
                    }
                    if (root.has("node") && root.has("cluster") && root.has("keys")) {
                        Path f = tmp.resolve("example-" + loaded + ".yaml");
                        Files.writeString(f, YAML.writeValueAsString(root));
                        try {
                            ConfigLoader.load(f, Map.of());
                        } catch (ConfigException e) {
                            problems.add(
                                    d.where(b.firstLine()) + ": complete example config is refused: " + e.getMessage());
                        }
                        loaded++;
                    }
                }
            }
        }
        assertThat(problems).as("config examples in docs/").isEmpty();
        assertThat(checked).as("config examples found in docs/").isGreaterThanOrEqualTo(3);
        assertThat(loaded).as("complete config examples loaded").isGreaterThanOrEqualTo(2);
    }

    /**
     * Every dotted key path of the config records as Jackson binds them (the loader binds with
     * Jackson); list and Optional elements are walked into, written without an index.
     */
    static void configPaths(JavaType type, String prefix, Set<String> out) {
        Map<String, String> written = new java.util.TreeMap<>();
        configPaths(type, "", "", written);
        out.addAll(written.keySet());
    }

    /**
     * As above, mapping each path to the form the reference writes it in: list elements as {@code []}
     * ({@code keys.policy.kinds} is written {@code keys[].policy.kinds}).
     */
    static void configPaths(JavaType type, String prefix, String writtenPrefix, Map<String, String> out) {
        BeanDescription d = BINDER.getDeserializationConfig().introspect(type);
        for (BeanPropertyDefinition p : d.findProperties()) {
            String key = prefix + p.getName();
            String written = writtenPrefix + p.getName();
            out.put(key, written);
            JavaType t = p.getPrimaryType();
            boolean list = false;
            while (t.isContainerType() || t.isReferenceType()) {
                list |= t.isCollectionLikeType();
                t = t.getContentType();
            }
            if (t.getRawClass().isRecord()) {
                configPaths(t, key + ".", written + (list ? "[]." : "."), out);
            }
        }
    }

    @Test
    void everyConfigKeyAndItsEnvironmentVariableIsInTheConfigurationReference() throws IOException {
        Map<String, String> written = new java.util.TreeMap<>();
        configPaths(BINDER.constructType(BakeguardConfig.class), "", "", written);
        String ref = Files.readString(docsDir.resolve("configuration.md"), StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        for (String w : written.values()) {
            boolean section = written.values().stream().anyMatch(o -> o.startsWith(w + ".") || o.startsWith(w + "[]."));
            if (!section && !ref.contains("`" + w + "`")) {
                problems.add("docs/configuration.md: config key `" + w + "` is not documented");
            }
        }
        for (Map.Entry<String, String> e : ConfigLoader.environmentKeys().entrySet()) {
            if (!ref.contains("`" + e.getKey() + "`")) {
                problems.add("docs/configuration.md: environment variable `" + e.getKey() + "` (" + e.getValue()
                        + ") is not documented");
            }
        }
        assertThat(problems).as("configuration reference completeness").isEmpty();
        assertThat(written).containsEntry("keys.policy.first-use", "keys[].policy.first-use");
    }

    @Test
    void everyConfigKeyNamedInTheDocsTextExists() {
        Set<String> known = new TreeSet<>();
        configPaths(BINDER.constructType(BakeguardConfig.class), "", known);
        Pattern named = Pattern.compile(
                "`((?:node|cluster|signer|admin|raft|keys)(?:\\[\\d*])?(?:\\.[a-z][a-z0-9-]*)+)(?:\\[])?:?`");
        List<String> problems = new ArrayList<>();
        int seen = 0;
        for (Doc d : docs) {
            for (int i = 0; i < d.lines().size(); i++) {
                Matcher m = named.matcher(d.lines().get(i));
                while (m.find()) {
                    seen++;
                    String path = m.group(1).replaceAll("\\[\\d*]", "");
                    if (!known.contains(path)) {
                        problems.add(d.where(i + 1) + ": unknown config key '" + m.group(1) + "'");
                    }
                }
            }
        }
        assertThat(problems).as("config keys named in docs/").isEmpty();
        assertThat(seen).as("config keys named in docs/").isGreaterThan(20);
    }

    static void usedPaths(JsonNode n, String prefix, List<String> out) {
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = prefix + e.getKey();
                out.add(key);
                usedPaths(e.getValue(), key + ".", out);
            }
        } else if (n.isArray()) {
            for (JsonNode el : n) {
                if (el.isObject()) {
                    usedPaths(el, prefix, out);
                }
            }
        }
    }

    private static int lineOf(Block b, String dotted) {
        String last = dotted.substring(dotted.lastIndexOf('.') + 1);
        Pattern p = Pattern.compile("(^|[\\s{,-])" + Pattern.quote(last) + ":");
        for (int i = 0; i < b.lines().size(); i++) {
            if (p.matcher(b.lines().get(i)).find()) {
                return b.firstLine() + i;
            }
        }
        return b.firstLine();
    }

    // ---------------------------------------------------------------- (2) environment variables

    @Test
    void everyEnvironmentVariableInTheDocsIsReadBySomething() throws IOException {
        Set<String> config = ConfigLoader.environmentKeys().keySet();
        Set<String> cli = new TreeSet<>();
        cli.add(KeyLoader.PASSWORD_ENV);
        Pattern env = Pattern.compile("\\bBAKEGUARD_[A-Z0-9_]*[A-Z0-9]\\b");
        walk(Bakeguard.commandLine(), c -> {
            for (OptionSpec o : c.getCommandSpec().options()) {
                for (String line : o.description()) {
                    Matcher m = env.matcher(line);
                    while (m.find()) {
                        cli.add(m.group());
                    }
                }
            }
        });
        Set<String> launcher = launcherVariables();
        List<String> problems = new ArrayList<>();
        int seen = 0;
        for (Doc d : docs) {
            for (int i = 0; i < d.lines().size(); i++) {
                Matcher m = env.matcher(d.lines().get(i));
                while (m.find()) {
                    seen++;
                    String name = m.group();
                    if (!config.contains(name) && !cli.contains(name) && !launcher.contains(name)) {
                        problems.add(d.where(i + 1) + ": environment variable " + name
                                + " is neither a config override (BAKEGUARD_<PATH>), nor read by a command,"
                                + " nor by the launcher or deploy files");
                    }
                }
            }
        }
        assertThat(problems).as("environment variables in docs/").isEmpty();
        assertThat(seen).as("environment variables mentioned in docs/").isPositive();
        assertThat(config).contains("BAKEGUARD_NODE_ID", "BAKEGUARD_SIGNER_REQUEST_TIMEOUT");
    }

    /** Variables expanded ({@code $NAME} or {@code ${NAME}) by the launcher script or the deploy files. */
    private static Set<String> launcherVariables() throws IOException {
        Set<String> out = new TreeSet<>();
        Pattern use = Pattern.compile("\\$\\{?(BAKEGUARD_[A-Z0-9_]*[A-Z0-9])");
        List<Path> files = new ArrayList<>();
        Path script = repoDir.resolve("http-api/src/dist/bin/bakeguard");
        if (Files.isRegularFile(script)) {
            files.add(script);
        }
        Path deploy = repoDir.resolve("deploy");
        if (Files.isDirectory(deploy)) {
            try (Stream<Path> s = Files.walk(deploy, 6)) {
                s.filter(Files::isRegularFile).limit(2000).forEach(files::add);
            }
        }
        for (Path f : files) {
            String text;
            try {
                text = Files.readString(f, StandardCharsets.UTF_8);
            } catch (java.nio.charset.MalformedInputException e) {
                continue;
            }
            Matcher m = use.matcher(text);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- (3) commands and options

    private static final Pattern COMMAND_START = Pattern.compile(
            "^\\s*(?:\\$\\s+)?(?:sudo\\s+(?:-u\\s+\\S+\\s+)?)?(?:[A-Z_]+=\\S*\\s+)*(?:\\S*/)?bakeguard\\s+(.*)$");
    private static final Pattern COMMAND_ANYWHERE = Pattern.compile("(?:^|[\\s/(`])bakeguard\\s+([a-z].*)$");

    @Test
    void everyBakeguardCommandAndOptionInTheDocsExists() {
        CommandLine root = Bakeguard.commandLine();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Doc d : docs) {
            for (Block b : d.blocks()) {
                List<String> lines = b.lines();
                for (int i = 0; i < lines.size(); i++) {
                    int lineNo = b.firstLine() + i;
                    StringBuilder joined = new StringBuilder(lines.get(i));
                    while (joined.toString().stripTrailing().endsWith("\\") && i + 1 < lines.size()) {
                        String s = joined.toString().stripTrailing();
                        joined = new StringBuilder(s.substring(0, s.length() - 1))
                                .append(' ')
                                .append(lines.get(++i));
                    }
                    checked += checkCommandLine(root, joined.toString(), d.where(lineNo), problems);
                }
            }
            Pattern inline = Pattern.compile("`(bakeguard [^`]+)`");
            for (int i = 0; i < d.lines().size(); i++) {
                Matcher m = inline.matcher(d.lines().get(i));
                while (m.find()) {
                    checked += checkCommandLine(root, m.group(1), d.where(i + 1), problems);
                }
            }
        }
        assertThat(problems).as("bakeguard commands in docs/").isEmpty();
        assertThat(checked).as("bakeguard command lines found in docs/").isGreaterThan(10);
    }

    /** Checks each {@code bakeguard ...} on one (joined) line; returns how many were checked. */
    static int checkCommandLine(CommandLine root, String line, String where, List<String> problems) {
        String code = line.replaceAll("\\s#.*$", "");
        int checked = 0;
        Matcher start = COMMAND_START.matcher(code);
        if (start.matches()) {
            checked++;
            checkInvocation(root, start.group(1), true, where, problems);
            return checked;
        }
        Matcher any = COMMAND_ANYWHERE.matcher(code);
        while (any.find()) {
            if (checkInvocation(root, any.group(1), false, where, problems)) {
                checked++;
            }
        }
        return checked;
    }

    /**
     * Walks the subcommands named by {@code rest}, then checks its {@code --options}. With {@code strict}
     * the first word must be a command; otherwise text that does not start with one is ignored.
     */
    static boolean checkInvocation(CommandLine root, String rest, boolean strict, String where, List<String> problems) {
        String cmd = rest.split("\\s+(?:\\||&&|;|>|2>|<)\\s*|[`)]", 2)[0];
        String[] tokens = cmd.strip().split("\\s+");
        if (tokens.length == 0 || tokens[0].isEmpty()) {
            return false;
        }
        if (!tokens[0].matches("[a-z][a-z-]*:?")) {
            return false;
        }
        if (tokens[0].endsWith(":")) {
            // An error line printed by a command ("bakeguard status: cannot reach ..."): the command must exist.
            String name = tokens[0].substring(0, tokens[0].length() - 1);
            if (!root.getSubcommands().containsKey(name)) {
                problems.add(where + ": message of unknown command 'bakeguard " + name + "'");
            }
            return true;
        }
        CommandLine at = root;
        int i = 0;
        for (; i < tokens.length; i++) {
            CommandLine sub = at.getSubcommands().get(tokens[i]);
            if (sub == null) {
                break;
            }
            at = sub;
        }
        if (at == root) {
            if (tokens[0].startsWith("-")) {
                if (!strict) {
                    return false;
                }
            } else {
                if (strict) {
                    problems.add(where + ": unknown command 'bakeguard " + tokens[0] + "'");
                }
                return strict;
            }
        }
        for (; i < tokens.length; i++) {
            String t = tokens[i].replaceAll("^[\\[(]+|[\\]),.:]+$", "");
            if (!t.startsWith("--") || t.length() < 3) {
                continue;
            }
            String name = t.contains("=") ? t.substring(0, t.indexOf('=')) : t;
            if (at.getCommandSpec().findOption(name) == null) {
                problems.add(where + ": '" + at.getCommandSpec().qualifiedName() + "' has no option " + name);
            }
        }
        return true;
    }

    private static void walk(CommandLine c, java.util.function.Consumer<CommandLine> visit) {
        visit.accept(c);
        for (CommandLine sub : new LinkedHashSet<>(c.getSubcommands().values())) {
            walk(sub, visit);
        }
    }

    // ---------------------------------------------------------------- (4) metrics

    @Test
    void everyMetricNameInTheDocsAndDesignIsRegisteredAndEveryBakeguardMetricIsDocumented() throws Exception {
        Map<String, Set<String>> scraped = scrapeAllMetrics();
        List<String> problems = new ArrayList<>();
        for (String m : DESIGN_METRICS) {
            String name = m.contains("{") ? m.substring(0, m.indexOf('{')) : m;
            Set<String> labels = scraped.get(name);
            if (labels == null) {
                problems.add("design.md s.7: " + name + " is not registered by SignerMetrics");
                continue;
            }
            if (m.contains("{")) {
                for (String l : m.substring(m.indexOf('{') + 1, m.length() - 1).split(",")) {
                    if (!labels.contains(l)) {
                        problems.add("design.md s.7: " + name + " has no label " + l + " (has " + labels + ")");
                    }
                }
            }
        }
        Pattern metric = Pattern.compile("\\bbakeguard_[a-z0-9_]*[a-z0-9]");
        for (Doc d : docs) {
            for (int i = 0; i < d.lines().size(); i++) {
                Matcher m = metric.matcher(d.lines().get(i));
                while (m.find()) {
                    if (!scraped.containsKey(m.group())) {
                        problems.add(d.where(i + 1) + ": metric " + m.group() + " is not registered");
                    }
                }
            }
        }
        String metricsDoc = Files.readString(docsDir.resolve("metrics.md"), StandardCharsets.UTF_8);
        for (String name : scraped.keySet()) {
            String family = name.replaceAll("_(bucket|count|sum)$", "");
            if (name.startsWith("bakeguard_") && !metricsDoc.contains(name) && !metricsDoc.contains(family)) {
                problems.add("docs/metrics.md: registered metric " + name + " is not documented");
            }
        }
        assertThat(problems).as("metric names").isEmpty();
    }

    /**
     * Every series name (and, for families, the family name) in the real registry's scrape, with its
     * label names, after every kind of meter has been touched once.
     */
    static Map<String, Set<String>> scrapeAllMetrics() {
        Map<String, Set<String>> out = new java.util.TreeMap<>();
        try (SignerMetrics metrics = new SignerMetrics()) {
            metrics.bindGuard(guard(), () -> 3);
            metrics.request(SOME_PKH, "attestation", SignerMetrics.Result.SIGNED);
            for (SignerMetrics.Phase p : SignerMetrics.Phase.values()) {
                metrics.duration("attestation", p, 1_000_000);
            }
            metrics.watermarks(Map.of(
                    new BucketKey(SOME_PKH, AdminApi.MAINNET, WatermarkKind.ATTESTATION),
                    new Watermark(100, 0, "00".repeat(32), Optional.empty())));
            metrics.ledgerDevice("ledger://doc-check", () -> true);
            Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})?\\s");
            Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
            for (String line : metrics.scrape().split("\n")) {
                if (line.startsWith("# TYPE ")) {
                    out.computeIfAbsent(line.split(" ")[2], k -> new TreeSet<>());
                    continue;
                }
                Matcher m = sample.matcher(line);
                if (!m.find()) {
                    continue;
                }
                Set<String> labels = out.computeIfAbsent(m.group(1), k -> new TreeSet<>());
                if (m.group(3) != null) {
                    Matcher l = label.matcher(m.group(3));
                    while (l.find()) {
                        labels.add(l.group(1));
                    }
                }
            }
        }
        // A family's labels are its samples' labels.
        for (String family : new ArrayList<>(out.keySet())) {
            for (String suffix : List.of("_bucket", "_count", "_sum", "_total")) {
                Set<String> s = out.get(family + suffix);
                if (s != null) {
                    out.get(family).addAll(s);
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- (5) endpoints

    private static ExecutorService executor;

    @BeforeAll
    static void startExecutor() {
        executor = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stopExecutor() {
        executor.shutdownNow();
    }

    @Test
    void everyEndpointInTheDocsIsRoutedForItsMethod() throws Exception {
        WatermarkGuard guard = guard();
        SigningService signing = new SigningService(
                new KeyRing(List.of()),
                List.of(),
                guard,
                executor,
                Duration.ofSeconds(1),
                new SignerMetrics(),
                Clock.systemUTC());
        HttpService signer = new SignerApi(signing, executor, true, true);
        HttpService admin = new AdminApi(
                guard,
                new SignerMetrics(),
                executor,
                Optional.empty(),
                Duration.ofSeconds(1),
                Clock.systemUTC(),
                Map.of());
        Doc api = docs.stream()
                .filter(d -> d.file().getFileName().toString().equals("api.md"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("docs/api.md is missing"));
        Pattern endpoint = Pattern.compile("\\b(GET|POST|DELETE|PUT|PATCH|HEAD)\\s+(/[A-Za-z0-9_./{}<>-]*)");
        List<String> problems = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        Set<String> ourSegments = new TreeSet<>();
        for (String line : api.lines()) {
            Matcher m = endpoint.matcher(line);
            while (m.find()) {
                ourSegments.add(m.group(2).split("/")[1]);
            }
        }
        // api.md: every endpoint; other docs: those under the first path segments api.md documents.
        List<Doc> checked = new ArrayList<>(List.of(api));
        docs.stream().filter(d -> d != api).forEach(checked::add);
        for (Doc doc : checked) {
            for (int i = 0; i < doc.lines().size(); i++) {
                Matcher m = endpoint.matcher(doc.lines().get(i));
                while (m.find()) {
                    String method = m.group(1);
                    String path = m.group(2).replaceAll("[.]+$", "");
                    String[] segments = path.split("/");
                    if (doc != api && (segments.length < 2 || !ourSegments.contains(segments[1]))) {
                        continue;
                    }
                    if (doc == api) {
                        seen.add(method + " " + path);
                    }
                    String concrete = m.group(2)
                            .replaceAll("\\{pkh}|<pkh>|tz[1-4]\\.\\.\\.", SOME_PKH)
                            .replaceAll("\\{id}|<id>", "n3")
                            .replaceAll("[.]+$", "");
                    boolean isAdmin = concrete.startsWith("/admin")
                            || concrete.equals("/metrics")
                            || concrete.equals("/healthz")
                            || concrete.equals("/readyz");
                    HttpReply r = (isAdmin ? admin : signer)
                            .handle(new HttpCall(
                                    method,
                                    concrete,
                                    Map.of(),
                                    Optional.empty(),
                                    new byte[0],
                                    new InetSocketAddress("127.0.0.1", 1)))
                            .get(10, TimeUnit.SECONDS);
                    String body = new String(r.body(), StandardCharsets.UTF_8);
                    if (r.status() == 405) {
                        problems.add(doc.where(i + 1) + ": " + method + " " + path + " is not allowed: " + body);
                    } else if (body.contains("not found: ") || body.contains("no admin endpoint")) {
                        problems.add(doc.where(i + 1) + ": " + method + " " + path + " is not routed: " + body);
                    }
                }
            }
        }
        assertThat(problems).as("endpoints in docs/").isEmpty();
        assertThat(seen)
                .as("endpoints documented in docs/api.md")
                .contains("GET /authorized_keys", "POST /keys/{pkh}", "GET /admin/status", "GET /metrics");
    }

    /** A guard that answers every question with an empty, harmless value; nothing here commits. */
    static WatermarkGuard guard() {
        ClusterStatus status = new ClusterStatus("n1", "LEADER", Optional.of("n1"), 2, 10, 10, 1, List.of());
        return (WatermarkGuard) Proxy.newProxyInstance(
                DocsConsistencyTest.class.getClassLoader(), new Class<?>[] {WatermarkGuard.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "status":
                            return status;
                        case "canCommitNow":
                            return false;
                        case "leaderChanges":
                            return 0L;
                        case "log":
                            return List.of();
                        case "logHashAt":
                            return Optional.empty();
                        case "localWatermarks":
                            return Map.of();
                        case "watermarks":
                        case "floors":
                            return CompletableFuture.completedFuture(Map.of());
                        case "close":
                            return null;
                        case "hashCode":
                            return System.identityHashCode(p);
                        case "equals":
                            return p == a[0];
                        case "toString":
                            return "doc-check guard";
                        default:
                            if (m.getReturnType() == CompletableFuture.class) {
                                return CompletableFuture.failedFuture(
                                        new IllegalStateException("doc-check guard commits nothing"));
                            }
                            throw new UnsupportedOperationException(m.getName());
                    }
                });
    }
}
