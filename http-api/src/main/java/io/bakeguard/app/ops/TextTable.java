package io.bakeguard.app.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain text table for people: a header line, then rows, columns padded to their widest cell. */
public final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(String... header) {
        this.header = List.of(header);
    }

    public TextTable row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("expected " + header.size() + " cells, got " + cells.length);
        }
        List<String> r = new ArrayList<>(cells.length);
        for (Object c : cells) {
            r.add(c == null ? "-" : OpsException.oneLine(c.toString()));
        }
        rows.add(r);
        return this;
    }

    String[] header() {
        return header.toArray(new String[0]);
    }

    public int size() {
        return rows.size();
    }

    /** The table, each line ending in a line feed; trailing spaces are trimmed. */
    public String render() {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
        }
        for (List<String> r : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, width);
        for (List<String> r : rows) {
            line(out, r, width);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            b.append(c);
            if (i < cells.size() - 1) {
                char[] pad = new char[width[i] - c.length() + 2];
                Arrays.fill(pad, ' ');
                b.append(pad);
            }
        }
        out.append(b.toString().stripTrailing()).append('\n');
    }
}
