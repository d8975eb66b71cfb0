package io.blurstream.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A plain-text table: a header and rows, columns separated by two spaces. A column whose cells are
 * all numbers (optionally with a unit suffix such as {@code %} or {@code x}; empty and {@code -}
 * cells stand for missing values) is right-aligned, other columns left-aligned. Cells are {@link
 * String#valueOf(Object) String.valueOf} of what is added, so format numbers before adding them
 * ({@code String.format("%.1f", gflops)}).
 *
 * <pre>{@code
 * Table table = new Table("window", "windows/s");
 * table.row(96, "41,210.5");
 * console.print(table);
 * }</pre>
 */
public final class Table {

    private static final Pattern NUMBER =
            Pattern.compile("[-+]?([0-9][0-9,_]*(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?[%x]?");

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... header) {
        if (header.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.header = List.of(header);
    }

    /** Adds a row; it must have one cell per column. */
    public Table row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException(
                    "row has "
                            + cells.length
                            + " cells but the table has "
                            + header.size()
                            + " columns "
                            + header);
        }
        rows.add(Arrays.stream(cells).map(String::valueOf).toList());
        return this;
    }

    /** The table as text, one line per row after the header, each ending in a newline. */
    public String render() {
        int columns = header.size();
        int[] width = new int[columns];
        boolean[] numeric = new boolean[columns];
        for (int c = 0; c < columns; c++) {
            width[c] = header.get(c).length();
            boolean anyNumber = false;
            boolean allNumbers = true;
            for (List<String> row : rows) {
                String cell = row.get(c);
                width[c] = Math.max(width[c], cell.length());
                if (NUMBER.matcher(cell).matches()) {
                    anyNumber = true;
                } else if (!cell.isEmpty() && !cell.equals("-")) {
                    allNumbers = false;
                }
            }
            numeric[c] = anyNumber && allNumbers;
        }
        StringBuilder text = new StringBuilder();
        appendLine(text, header, width, numeric);
        for (List<String> row : rows) {
            appendLine(text, row, width, numeric);
        }
        return text.toString();
    }

    private static void appendLine(
            StringBuilder text, List<String> cells, int[] width, boolean[] numeric) {
        int start = text.length();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String padding = " ".repeat(width[c] - cell.length());
            if (c > 0) {
                text.append("  ");
            }
            if (numeric[c]) {
                text.append(padding).append(cell);
            } else {
                text.append(cell).append(padding);
            }
        }
        // Left-aligned last columns leave trailing blanks; trim them.
        int end = text.length();
        while (end > start && text.charAt(end - 1) == ' ') {
            end--;
        }
        text.setLength(end);
        text.append('\n');
    }
}
