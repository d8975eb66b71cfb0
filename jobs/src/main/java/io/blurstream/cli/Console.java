package io.blurstream.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.Objects;

/**
 * Where a command writes. Results for people (lines, {@link Table}s) go to stdout; progress and
 * notes go to stderr ({@link #info}), so they never mix with results.
 *
 * <p>With {@code --json} ({@link #json()}) a command ends with {@link #printJson}: one compact JSON
 * line, which is then the last line of stdout — scripts read it with {@code tail -n 1}. The console
 * enforces that: after {@code printJson}, writing to stdout (or a second JSON line) throws {@link
 * IllegalStateException}. Commands must therefore write through this class, not {@code System.out}.
 */
public final class Console {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final PrintStream err;
    private final boolean json;
    private boolean jsonWritten;

    public Console(PrintStream out, PrintStream err, boolean json) {
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.json = json;
    }

    /** Whether {@code --json} was given: the command should end with {@link #printJson}. */
    public boolean json() {
        return json;
    }

    /** A line of human-readable output on stdout. */
    public void println(String line) {
        checkOpen();
        out.println(line);
    }

    /** A table on stdout, columns aligned. */
    public void print(Table table) {
        checkOpen();
        out.print(table.render());
    }

    /** Progress or a note on stderr; allowed at any time. */
    public void info(String message) {
        err.println(message);
        err.flush();
    }

    /**
     * Redraws a one-line status, such as a progress bar, in place on stderr. Only when stderr is a
     * terminal: in a log file the redraws would pile up, so there it does nothing.
     */
    public void status(String line) {
        if (System.console() != null) {
            err.print("\r" + line);
            err.flush();
        }
    }

    /** Clears the line {@link #status} drew. */
    public void clearStatus() {
        if (System.console() != null) {
            err.print("\r" + " ".repeat(79) + "\r");
            err.flush();
        }
    }

    /**
     * Writes {@code value} (a record, map, list, …) as one compact JSON line, the last line of
     * stdout.
     *
     * @throws IllegalStateException if a JSON line was already written, or Jackson cannot serialise
     *     {@code value} (a bug in the command, not in its arguments)
     */
    public void printJson(Object value) {
        checkOpen();
        String line;
        try {
            line = JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot write " + value.getClass().getName() + " as JSON: " + e.getMessage(),
                    e);
        }
        jsonWritten = true;
        out.println(line);
        out.flush();
    }

    private void checkOpen() {
        if (jsonWritten) {
            throw new IllegalStateException(
                    "stdout is closed: the JSON line from printJson must be the last line");
        }
    }
}
