package io.bakeguard.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the subset of Go templates that deploy/kubernetes/bakeguard uses into line patterns, so that
 * the checked-in manifests can be compared with the chart without helm: {@code if}/{@code else}/
 * {@code with} on values, {@code range $i := until (int .Values.x)}, {@code .Values} lookups,
 * {@code quote} and the fullname helper are evaluated; lines whose action expands to several lines
 * ({@code nindent}) become gaps the manifest may fill with any lines. Any other construct fails loudly,
 * so a template change that this cannot follow is noticed instead of silently skipped.
 */
final class ChartRender {
    private static final Pattern ACTION = Pattern.compile("\\{\\{-?\\s*(.*?)\\s*-?}}");
    private static final Pattern CONTROL =
            Pattern.compile("^\\s*\\{\\{-?\\s*(if|else|end|range|with)\\b(.*?)\\s*-?}}\\s*$");
    private static final Pattern RANGE_UNTIL =
            Pattern.compile("^\\$(\\w+)\\s*:=\\s*until\\s*\\(int\\s+\\$?(\\.Values[\\w.]*)\\)$");
    private static final Pattern VALUE = Pattern.compile("^\\$?(\\.Values[\\w.]*)(\\s*\\|\\s*quote)?$");

    /** One rendered line: a regex the manifest line must match, or a gap of any number of lines. */
    record Line(Pattern pattern, boolean gap, String template) {}

    private final JsonNode values;
    private final String fullname;

    ChartRender(JsonNode values, String fullname) {
        this.values = values;
        this.fullname = fullname;
    }

    List<Line> render(String template) {
        List<String> lines = List.of(template.split("\n", -1));
        List<Line> out = new ArrayList<>();
        int end = block(lines, 0, Map.of(), true, out);
        if (end != lines.size()) {
            throw new IllegalArgumentException("unbalanced {{ end }} at line " + (end + 1));
        }
        return out;
    }

    /** Renders lines from {@code i} until an unmatched else/end; returns the index of that line. */
    private int block(List<String> lines, int i, Map<String, String> vars, boolean active, List<Line> out) {
        while (i < lines.size()) {
            String line = lines.get(i);
            Matcher c = CONTROL.matcher(line);
            if (!c.matches()) {
                if (active) {
                    content(line, vars, out);
                }
                i++;
                continue;
            }
            String word = c.group(1);
            String arg = c.group(2).trim();
            switch (word) {
                case "else", "end" -> {
                    return i;
                }
                case "if", "with" -> {
                    boolean cond = condition(arg);
                    int j = block(lines, i + 1, vars, active && cond, out);
                    if (CONTROL.matcher(lines.get(j)).replaceAll("$1").equals("else")) {
                        j = block(lines, j + 1, vars, active && !cond, out);
                    }
                    i = expectEnd(lines, j) + 1;
                }
                case "range" -> {
                    Matcher r = RANGE_UNTIL.matcher(arg);
                    if (!r.matches()) {
                        throw new IllegalArgumentException("unsupported range: " + line);
                    }
                    int n = value(r.group(2)).asInt();
                    int j = i + 1;
                    for (int k = 0; k < Math.max(n, 1); k++) {
                        Map<String, String> inner = new java.util.HashMap<>(vars);
                        inner.put("$" + r.group(1), Integer.toString(k));
                        j = block(lines, i + 1, inner, active && k < n, out);
                    }
                    i = expectEnd(lines, j) + 1;
                }
                default -> throw new IllegalArgumentException("unsupported control: " + line);
            }
        }
        return i;
    }

    private static int expectEnd(List<String> lines, int j) {
        if (j >= lines.size() || !CONTROL.matcher(lines.get(j)).replaceAll("$1").equals("end")) {
            throw new IllegalArgumentException("expected {{ end }} at line " + (j + 1));
        }
        return j;
    }

    private boolean condition(String arg) {
        Matcher eq =
                Pattern.compile("^eq\\s+(\\.Values[\\w.]*)\\s+\"([^\"]*)\"$").matcher(arg);
        if (eq.matches()) {
            return value(eq.group(1)).asText().equals(eq.group(2));
        }
        Matcher and = Pattern.compile(
                        "^and\\s+(\\.Values[\\w.]*)\\s+\\(\\.Capabilities\\.APIVersions\\.Has\\s+\"[^\"]+\"\\)$")
                .matcher(arg);
        if (and.matches()) {
            // The manifests are rendered as for a cluster that has the API (they keep the ServiceMonitor).
            return truthy(value(and.group(1)));
        }
        if (arg.matches("^\\.Values[\\w.]*$")) {
            return truthy(value(arg));
        }
        throw new IllegalArgumentException("unsupported condition: " + arg);
    }

    private static boolean truthy(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return false;
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isContainerNode()) {
            return n.size() > 0;
        }
        if (n.isNumber()) {
            return n.asDouble() != 0;
        }
        return !n.asText().isEmpty();
    }

    JsonNode value(String dotted) {
        JsonNode n = values;
        for (String part : dotted.substring(".Values.".length()).split("\\.")) {
            n = n.path(part);
        }
        if (n.isMissingNode()) {
            throw new IllegalArgumentException("values.yaml has no " + dotted);
        }
        return n;
    }

    private void content(String raw, Map<String, String> vars, List<Line> out) {
        String line = raw.stripTrailing();
        if (line.isBlank() || line.trim().equals("---")) {
            return;
        }
        Matcher m = ACTION.matcher(line);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        boolean gap = false;
        while (m.find()) {
            regex.append(Pattern.quote(line.substring(last, m.start())));
            String expr = m.group(1);
            if (expr.contains("nindent")) {
                gap = true;
            } else {
                regex.append(expression(expr, vars));
            }
            last = m.end();
        }
        if (gap) {
            out.add(new Line(null, true, line));
            return;
        }
        regex.append(Pattern.quote(line.substring(last)));
        out.add(new Line(Pattern.compile(regex.toString()), false, line));
    }

    /** The regex of one inline action. */
    private String expression(String expr, Map<String, String> vars) {
        if (expr.matches("include \"bakeguard\\.fullname\" [.$]")) {
            return Pattern.quote(fullname);
        }
        if (vars.containsKey(expr)) {
            return Pattern.quote(vars.get(expr));
        }
        Matcher v = VALUE.matcher(expr);
        if (v.matches()) {
            String text = value(v.group(1)).asText();
            return Pattern.quote(v.group(2) != null ? "\"" + text + "\"" : text);
        }
        if (expr.endsWith("| sha256sum")) {
            return "[0-9a-f]{64}";
        }
        if (expr.startsWith("toJson ")) {
            return ".+";
        }
        throw new IllegalArgumentException("unsupported template action {{ " + expr + " }}");
    }

    /**
     * Matches the manifest's lines against the rendered lines, in order: each rendered line must match the
     * next manifest line, except after a gap, where any manifest lines may come first. Returns the
     * mismatches (empty when consistent).
     */
    static List<String> compare(List<Line> rendered, List<String> manifest) {
        List<String> problems = new ArrayList<>();
        int j = 0;
        boolean gap = false;
        for (Line l : rendered) {
            if (l.gap()) {
                gap = true;
                continue;
            }
            int k = j;
            while (k < manifest.size() && !l.pattern().matcher(manifest.get(k)).matches() && gap) {
                k++;
            }
            if (k >= manifest.size() || !l.pattern().matcher(manifest.get(k)).matches()) {
                problems.add("template line '" + l.template().strip() + "' has no counterpart at manifest line '"
                        + (j < manifest.size() ? manifest.get(j).strip() : "(end)") + "'");
                return problems;
            }
            j = k + 1;
            gap = false;
        }
        if (!gap && j < manifest.size()) {
            problems.add("manifest lines not in the template, from: '"
                    + manifest.get(j).strip() + "'");
        }
        return problems;
    }
}
