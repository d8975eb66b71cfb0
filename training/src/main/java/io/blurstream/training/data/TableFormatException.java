package io.blurstream.training.data;

import java.io.IOException;

/**
 * A CSV file whose content cannot be read as a time series. The message names the file, the 1-based
 * line and, where one cell is at fault, the 1-based column and its header name, for example {@code
 * data/ETTh1.csv line 17, column 3 (HULL): not a number: 'abc'}.
 *
 * <p>An {@link IOException} because callers already handle unreadable files; a malformed one is the
 * same kind of problem for them.
 */
public final class TableFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;

    /**
     * @param line 1-based line number, or 0 when the problem concerns the whole file
     * @param column 1-based column number, or 0 when the problem concerns the whole line
     * @param columnName header name of the column, or {@code null}
     */
    TableFormatException(String source, int line, int column, String columnName, String problem) {
        super(location(source, line, column, columnName) + ": " + problem);
        this.source = source;
        this.line = line;
        this.column = column;
    }

    private static String location(String source, int line, int column, String columnName) {
        StringBuilder where = new StringBuilder(source);
        if (line > 0) {
            where.append(" line ").append(line);
        }
        if (column > 0) {
            where.append(", column ").append(column);
            if (columnName != null) {
                where.append(" (").append(columnName).append(')');
            }
        }
        return where.toString();
    }

    /** The file (or other source name) that was being read. */
    public String source() {
        return source;
    }

    /** 1-based line number, 0 when the problem concerns the whole file. */
    public int line() {
        return line;
    }

    /** 1-based column number, 0 when the problem concerns a whole line or the file. */
    public int column() {
        return column;
    }
}
