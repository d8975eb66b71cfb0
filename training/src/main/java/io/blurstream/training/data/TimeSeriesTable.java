package io.blurstream.training.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tukaani.xz.XZInputStream;

/**
 * A multichannel time series read from a CSV file: a header line, then one row per time step. The
 * first column is the timestamp, every other column is a numeric channel. Immutable.
 *
 * <p>The timestamp is kept as written and also parsed, as UTC, to epoch milliseconds. Two formats
 * are accepted, the two the benchmark files use: {@code yyyy-MM-dd HH:mm:ss} (ETT, illness) and
 * {@code yyyy/M/d H:mm} (exchange_rate). Anything else fails, naming the line: silently guessing a
 * date format is how day and month get swapped.
 *
 * <p>Values are {@code double}, row-major ({@code rows × channels}, a row's channels contiguous).
 * Double rather than float because the standardisation is fitted on these values and should see
 * exactly what the file says, as the Python reference pipelines do (they parse to float64 and cast
 * to float32 only after scaling). The cost is negligible: the largest file, ETTm1, is 69,680 × 7
 * values, under 4 MB. Training code converts to float32 once, when it standardises.
 *
 * <p>Line ends may be LF or CRLF, the last line may lack its line end, and a UTF-8 byte-order mark
 * is ignored. Cells are split on commas; quoting is not supported (no benchmark file uses it).
 * Empty cells and non-finite numbers are errors: the benchmarks have no missing values, and a gap
 * should be filled deliberately rather than read as zero or NaN.
 */
public final class TimeSeriesTable {

    private final String source;
    private final String dateColumn;
    private final List<String> columns;
    private final int rows;
    private final double[] values;
    private final String[] dates;
    private final long[] timestampsMillis;

    private TimeSeriesTable(
            String source,
            String dateColumn,
            List<String> columns,
            int rows,
            double[] values,
            String[] dates,
            long[] timestampsMillis) {
        this.source = source;
        this.dateColumn = dateColumn;
        this.columns = columns;
        this.rows = rows;
        this.values = values;
        this.dates = dates;
        this.timestampsMillis = timestampsMillis;
    }

    /**
     * A table of values held in memory (the rows a live stream delivered), with ISO-8601 UTC dates
     * made from the timestamps.
     *
     * @param values {@code timestampsMillis.length × columns.size()} values, row-major
     * @throws IllegalArgumentException if the sizes disagree or there is no row
     */
    public static TimeSeriesTable of(
            String source, List<String> columns, long[] timestampsMillis, double[] values) {
        int rows = timestampsMillis.length;
        if (rows == 0 || columns.isEmpty() || values.length != rows * columns.size()) {
            throw new IllegalArgumentException(
                    "need at least one row and "
                            + rows
                            + " × "
                            + columns.size()
                            + " values, got "
                            + values.length);
        }
        String[] dates = new String[rows];
        for (int r = 0; r < rows; r++) {
            dates[r] = java.time.Instant.ofEpochMilli(timestampsMillis[r]).toString();
        }
        return new TimeSeriesTable(
                source,
                "date",
                List.copyOf(columns),
                rows,
                values.clone(),
                dates,
                timestampsMillis.clone());
    }

    /**
     * Rows {@code [from, to)} as a table of their own.
     *
     * @throws IllegalArgumentException unless {@code 0 ≤ from < to ≤ rows()}
     */
    public TimeSeriesTable slice(int from, int to) {
        if (from < 0 || from >= to || to > rows) {
            throw new IllegalArgumentException(
                    "rows [" + from + ", " + to + ") are not within the table's " + rows);
        }
        int c = columns.size();
        return new TimeSeriesTable(
                source,
                dateColumn,
                columns,
                to - from,
                java.util.Arrays.copyOfRange(values, from * c, to * c),
                java.util.Arrays.copyOfRange(dates, from, to),
                java.util.Arrays.copyOfRange(timestampsMillis, from, to));
    }

    /**
     * Reads a {@code .csv} file, or an xz-compressed {@code .csv.xz} file (recognised by the {@code
     * .xz} suffix).
     *
     * @throws TableFormatException if the content is not a time series as described above
     * @throws IOException if the file cannot be read or decompressed
     */
    public static TimeSeriesTable read(Path file) throws IOException {
        String source = file.toString();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            InputStream in = source.endsWith(".xz") ? new XZInputStream(raw) : raw;
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8), source);
        }
    }

    /**
     * Parses CSV text; {@code source} names it in error messages. Does not close the reader.
     *
     * @throws TableFormatException if the content is not a time series as described above
     */
    public static TimeSeriesTable parse(Reader reader, String source) throws IOException {
        BufferedReader in = new BufferedReader(reader, 1 << 16);
        String header = in.readLine();
        if (header == null || header.isEmpty()) {
            throw new TableFormatException(
                    source, 1, 0, null, "expected a header line 'date,<channel>,...'");
        }
        if (header.charAt(0) == '\uFEFF') {
            header = header.substring(1);
        }
        String[] names = header.split(",", -1);
        checkHeader(source, names);
        int channels = names.length - 1;

        double[] values = new double[1024 * channels];
        long[] millis = new long[1024];
        List<String> dates = new ArrayList<>();
        int[] cellStart = new int[names.length + 1];
        int lineNumber = 1;
        int firstBlankLine = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            if (line.isEmpty()) {
                // Blank lines are tolerated only at the very end (an extra line end after the
                // last row); one followed by data means rows were lost or merged.
                firstBlankLine = firstBlankLine == 0 ? lineNumber : firstBlankLine;
                continue;
            }
            if (firstBlankLine != 0) {
                throw new TableFormatException(
                        source, firstBlankLine, 0, null, "empty line between data rows");
            }
            splitCells(source, lineNumber, line, names, cellStart);
            int row = dates.size();
            if (row == millis.length) {
                millis = Arrays.copyOf(millis, 2 * row);
                values = Arrays.copyOf(values, 2 * row * channels);
            }
            String date = line.substring(0, cellStart[1] - 1);
            millis[row] = parseTimestamp(source, lineNumber, names[0], date);
            dates.add(date);
            for (int c = 0; c < channels; c++) {
                values[row * channels + c] =
                        parseValue(
                                source,
                                lineNumber,
                                c + 2,
                                names[c + 1],
                                line,
                                cellStart[c + 1],
                                cellStart[c + 2] - 1);
            }
        }
        int rows = dates.size();
        if (rows == 0) {
            throw new TableFormatException(source, 0, 0, null, "no data rows after the header");
        }
        return new TimeSeriesTable(
                source,
                names[0],
                List.of(Arrays.copyOfRange(names, 1, names.length)),
                rows,
                Arrays.copyOf(values, rows * channels),
                dates.toArray(new String[0]),
                Arrays.copyOf(millis, rows));
    }

    private static void checkHeader(String source, String[] names) throws TableFormatException {
        if (names.length < 2) {
            throw new TableFormatException(
                    source,
                    1,
                    0,
                    null,
                    "the header has one column; expected a date column and at least one channel"
                            + " separated by commas");
        }
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < names.length; c++) {
            if (names[c].isBlank()) {
                throw new TableFormatException(source, 1, c + 1, null, "empty column name");
            }
            if (!seen.add(names[c])) {
                throw new TableFormatException(
                        source, 1, c + 1, names[c], "column name appears twice");
            }
        }
    }

    /**
     * Finds where each cell starts: {@code cellStart[c]} is the index of cell {@code c}'s first
     * character, and {@code cellStart[cells]} is one past the end of the line plus one, so that
     * cell {@code c} always spans {@code [cellStart[c], cellStart[c + 1] - 1)}.
     */
    private static void splitCells(
            String source, int lineNumber, String line, String[] names, int[] cellStart)
            throws TableFormatException {
        int cells = names.length;
        cellStart[0] = 0;
        int found = 1;
        for (int i = line.indexOf(','); i >= 0; i = line.indexOf(',', i + 1)) {
            if (found == cells) {
                throw new TableFormatException(
                        source,
                        lineNumber,
                        0,
                        null,
                        "more than the " + cells + " cells of the header");
            }
            cellStart[found++] = i + 1;
        }
        if (found != cells) {
            throw new TableFormatException(
                    source,
                    lineNumber,
                    0,
                    null,
                    found + " cells, expected " + cells + " as in the header");
        }
        cellStart[cells] = line.length() + 1;
    }

    /**
     * Parses the two accepted formats by hand: {@code DateTimeFormatter} costs several times the
     * rest of a row, and ETTm1 has 69,680 rows. Field ranges are checked by {@code
     * LocalDateTime.of}, so 2016-02-30 is rejected as it would be by a strict formatter.
     */
    private static long parseTimestamp(String source, int lineNumber, String name, String text)
            throws TableFormatException {
        // Dashed: yyyy-MM-dd HH:mm:ss, every field zero-padded. Slashed: yyyy/M/d H:mm.
        boolean dashed = text.length() == 19 && text.charAt(4) == '-';
        char dateSeparator = dashed ? '-' : '/';
        int[] cursor = {0};
        int year = field(text, cursor, 4, 4, dateSeparator);
        int month = field(text, cursor, dashed ? 2 : 1, 2, dateSeparator);
        int day = field(text, cursor, dashed ? 2 : 1, 2, ' ');
        int hour = field(text, cursor, dashed ? 2 : 1, 2, ':');
        int minute = field(text, cursor, 2, 2, dashed ? ':' : '\0');
        int second = dashed ? field(text, cursor, 2, 2, '\0') : 0;
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            throw new TableFormatException(
                    source,
                    lineNumber,
                    1,
                    name,
                    "unsupported timestamp '"
                            + text
                            + "'; expected yyyy-MM-dd HH:mm:ss or yyyy/M/d H:mm");
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second)
                            .toEpochSecond(ZoneOffset.UTC)
                    * 1000L;
        } catch (DateTimeException e) {
            throw new TableFormatException(
                    source,
                    lineNumber,
                    1,
                    name,
                    "invalid timestamp '" + text + "': " + e.getMessage());
        }
    }

    /**
     * Reads {@code minDigits..maxDigits} decimal digits at {@code cursor[0]} followed by {@code
     * separator} ({@code '\0'}: the end of the text), and moves the cursor past the separator.
     * Returns -1 if the text does not have that shape: a format mismatch, not an exception, because
     * the caller reports it with the line number.
     */
    private static int field(
            String text, int[] cursor, int minDigits, int maxDigits, char separator) {
        int i = cursor[0];
        if (i < 0) {
            return -1;
        }
        int value = 0;
        int digits = 0;
        while (i < text.length() && digits < maxDigits) {
            char ch = text.charAt(i);
            if (ch < '0' || ch > '9') {
                break;
            }
            value = value * 10 + (ch - '0');
            digits++;
            i++;
        }
        boolean separated =
                separator == '\0'
                        ? i == text.length()
                        : i < text.length() && text.charAt(i) == separator;
        if (digits < minDigits || !separated) {
            cursor[0] = -1;
            return -1;
        }
        cursor[0] = i + 1;
        return value;
    }

    private static double parseValue(
            String source, int lineNumber, int column, String name, String line, int from, int to)
            throws TableFormatException {
        String text = line.substring(from, to);
        if (text.isBlank()) {
            throw new TableFormatException(
                    source,
                    lineNumber,
                    column,
                    name,
                    "empty value (missing values are not allowed)");
        }
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new TableFormatException(
                    source, lineNumber, column, name, "not a number: '" + text + "'");
        }
        if (!Double.isFinite(value)) {
            throw new TableFormatException(
                    source, lineNumber, column, name, "not a finite number: '" + text + "'");
        }
        return value;
    }

    /** The file this table was read from (or the source name given to {@link #parse}). */
    public String source() {
        return source;
    }

    /** Header name of the first column, the timestamp. */
    public String dateColumn() {
        return dateColumn;
    }

    /** Channel names in file order, without the date column. */
    public List<String> columns() {
        return columns;
    }

    /** Number of channels, {@code columns().size()}. */
    public int channels() {
        return columns.size();
    }

    /** Number of data rows (the header not counted). */
    public int rows() {
        return rows;
    }

    /**
     * Position of a channel in {@link #columns()}.
     *
     * @throws IllegalArgumentException listing the channels if there is none of that name
     */
    public int columnIndex(String name) {
        int index = columns.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException(
                    source + " has no column '" + name + "'; its columns are " + columns);
        }
        return index;
    }

    /** The value of {@code channel} at {@code row}. */
    public double value(int row, int channel) {
        return values[row * columns.size() + channel];
    }

    /** A copy of all values, row-major {@code rows × channels}. */
    public double[] values() {
        return values.clone();
    }

    /** The timestamp of {@code row} as written in the file. */
    public String date(int row) {
        return dates[row];
    }

    /** The timestamp of {@code row} in milliseconds since the epoch, read as UTC. */
    public long timestampMillis(int row) {
        return timestampsMillis[row];
    }

    /** A copy of all timestamps in milliseconds since the epoch, read as UTC. */
    public long[] timestampsMillis() {
        return timestampsMillis.clone();
    }
}
