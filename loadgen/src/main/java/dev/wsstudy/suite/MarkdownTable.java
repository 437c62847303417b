package dev.wsstudy.suite;

import java.util.ArrayList;
import java.util.List;

/**
 * A markdown table padded to column width, so the same text reads well raw in a terminal (the
 * suite prints it at the end) and renders as a table on a code host. The first
 * {@code leftColumns} columns (labels) are left-aligned, the rest right-aligned (numbers).
 */
final class MarkdownTable {
    private final List<String> header;
    private final int leftColumns;
    private final List<List<String>> rows = new ArrayList<>();

    MarkdownTable(List<String> header) {
        this(header, 1);
    }

    MarkdownTable(List<String> header, int leftColumns) {
        this.header = List.copyOf(header);
        this.leftColumns = leftColumns;
    }

    MarkdownTable row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells, header " + header.size());
        }
        rows.add(cells.stream().map(c -> c.replace("|", "\\|")).toList());
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String render() {
        int n = header.size();
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = Math.max(3, header.get(i).length());
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, w);
        sb.append('|');
        for (int i = 0; i < n; i++) {
            sb.append(i < leftColumns ? " " + "-".repeat(w[i]) + " |" : " " + "-".repeat(w[i] - 1) + ": |");
        }
        sb.append('\n');
        rows.forEach(r -> line(sb, r, w));
        return sb.toString();
    }

    private void line(StringBuilder sb, List<String> cells, int[] w) {
        sb.append('|');
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            String pad = " ".repeat(w[i] - c.length());
            sb.append(' ').append(i < leftColumns ? c + pad : pad + c).append(" |");
        }
        sb.append('\n');
    }
}
