package io.bakeguard.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads: identifiers that are neither functions, keywords, label
 * names (inside braces or grouping clauses) nor parts of strings, durations or Grafana variables.
 */
final class PromQlNames {
    private static final Set<String> KEYWORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "and",
            "or",
            "unless",
            "bool",
            "offset",
            "inf",
            "nan");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern BRACES = Pattern.compile("\\{[^{}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\[\\]]*]");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+}?");
    private static final Pattern IDENT = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

    private PromQlNames() {}

    static Set<String> of(String expr) {
        String s = STRING.matcher(expr).replaceAll(" ");
        s = VARIABLE.matcher(s).replaceAll(" ");
        s = BRACES.matcher(s).replaceAll(" ");
        s = RANGE.matcher(s).replaceAll(" ");
        s = GROUPING.matcher(s).replaceAll(" ");
        Set<String> out = new TreeSet<>();
        Matcher m = IDENT.matcher(s);
        while (m.find()) {
            String id = m.group(1);
            boolean call = m.group(2) != null;
            if (!call && !KEYWORDS.contains(id.toLowerCase(java.util.Locale.ROOT))) {
                out.add(id);
            }
        }
        return out;
    }

    /** Every {@code expr} of a Prometheus rules file. */
    static List<String> ruleExpressions(Path rules) {
        List<String> out = new ArrayList<>();
        for (JsonNode group : DeployFiles.yaml(rules).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                out.add(rule.path("expr").asText());
            }
        }
        return out;
    }

    /** Every query of a Grafana dashboard: panel targets (also in rows) and template variable queries. */
    static List<String> dashboardExpressions(Path dashboard) {
        JsonNode d = DeployFiles.json(dashboard);
        List<String> out = new ArrayList<>();
        for (JsonNode panel : d.path("panels")) {
            targets(panel, out);
            for (JsonNode inner : panel.path("panels")) {
                targets(inner, out);
            }
        }
        for (JsonNode var : d.path("templating").path("list")) {
            String q = var.path("query").isObject()
                    ? var.path("query").path("query").asText()
                    : var.path("query").asText();
            Matcher m = Pattern.compile("label_values\\((\\w+)\\s*,").matcher(q);
            if (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    private static void targets(JsonNode panel, List<String> out) {
        for (JsonNode t : panel.path("targets")) {
            if (t.hasNonNull("expr")) {
                out.add(t.get("expr").asText());
            }
        }
    }
}
