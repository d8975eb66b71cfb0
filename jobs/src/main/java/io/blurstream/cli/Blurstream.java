package io.blurstream.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The {@code blurstream} command line: {@code blurstream <command> [arguments] [options]}.
 *
 * <p>Commands are the {@link Command} providers on the classpath. Exit codes: 0 success, 1 the
 * command failed, 2 the command line was wrong (no or unknown command, bad arguments). Set the
 * environment variable {@code BLURSTREAM_DEBUG=1} to get stack traces of failures.
 */
public final class Blurstream {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    private static final Pattern COMMAND_NAME = Pattern.compile("[a-z][a-z0-9-]*");

    private final SortedMap<String, Command> commands = new TreeMap<>();
    private final boolean stackTraces;

    /**
     * @param available the commands; names must be unique
     * @param stackTraces whether failures print their stack trace
     */
    public Blurstream(Iterable<? extends Command> available, boolean stackTraces) {
        for (Command command : available) {
            String name = command.name();
            if (name == null || !COMMAND_NAME.matcher(name).matches()) {
                throw new IllegalStateException(
                        command.getClass().getName()
                                + " has an invalid command name '"
                                + name
                                + "': use lower-case letters, digits and dashes");
            }
            String summary = command.summary();
            if (summary == null || summary.isBlank() || summary.contains("\n")) {
                throw new IllegalStateException(
                        command.getClass().getName() + " must have a one-line summary");
            }
            Command previous = commands.putIfAbsent(name, command);
            if (previous != null) {
                throw new IllegalStateException(
                        "two commands are named '"
                                + name
                                + "': "
                                + previous.getClass().getName()
                                + " and "
                                + command.getClass().getName());
            }
        }
        this.stackTraces = stackTraces;
    }

    /** The commands registered in {@code META-INF/services/io.blurstream.cli.Command}. */
    public static Blurstream discover(boolean stackTraces) {
        return new Blurstream(ServiceLoader.load(Command.class), stackTraces);
    }

    public static void main(String[] argv) {
        boolean debug = System.getenv("BLURSTREAM_DEBUG") != null;
        // before any logger exists: library logs go to a file, not into the command's output
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-cli.properties");
        }
        Blurstream cli;
        try {
            cli = discover(debug);
        } catch (ServiceConfigurationError | IllegalStateException e) {
            // A broken command registration: a packaging bug, not a user error.
            System.err.println("blurstream: cannot load the commands: " + e.getMessage());
            System.exit(EXIT_FAILURE);
            return;
        }
        System.exit(cli.run(argv, System.out, System.err));
    }

    /** The commands by name, sorted. */
    public Map<String, Command> commands() {
        return Collections.unmodifiableMap(commands);
    }

    /** Runs one command line and returns the exit code; never calls {@link System#exit}. */
    public int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0) {
            err.print(listing());
            return EXIT_USAGE;
        }
        String first = argv[0];
        if (first.equals("--help") || first.equals("-h")) {
            out.print(listing());
            return EXIT_OK;
        }
        if (first.startsWith("-")) {
            err.println(
                    "blurstream: expected a command before any option, got '"
                            + first
                            + "'; run 'blurstream --help' for the list of commands");
            return EXIT_USAGE;
        }
        Command command = commands.get(first);
        if (command == null) {
            err.println(
                    "blurstream: unknown command '"
                            + first
                            + "'."
                            + Suggestions.closest(first, commands.keySet())
                                    .map(s -> " Did you mean '" + s + "'?")
                                    .orElse("")
                            + " Known commands: "
                            + String.join(", ", commands.keySet())
                            + ".");
            return EXIT_USAGE;
        }
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        if (asksForHelp(rest)) {
            String usage = command.usage();
            out.print(usage.endsWith("\n") ? usage : usage + "\n");
            return EXIT_OK;
        }
        String prefix = "blurstream " + command.name() + ": ";
        try {
            Arguments args = Arguments.parse(rest);
            Console console = new Console(out, err, args.flag("json"));
            return command.run(args, console);
        } catch (IllegalArgumentException e) {
            err.println(prefix + e.getMessage());
            err.println("see 'blurstream " + command.name() + " --help'");
            if (stackTraces) {
                e.printStackTrace(err);
            }
            return EXIT_USAGE;
        } catch (Exception | ExceptionInInitializerError e) {
            // A failed static initialiser is usually configuration, e.g. a bad -D property.
            err.println(prefix + describe(e));
            if (stackTraces) {
                e.printStackTrace(err);
            } else {
                err.println("(set BLURSTREAM_DEBUG=1 for the stack trace)");
            }
            return EXIT_FAILURE;
        } finally {
            out.flush();
        }
    }

    /** The text of {@code blurstream --help}. */
    String listing() {
        StringBuilder text = new StringBuilder();
        text.append("Usage: blurstream <command> [arguments] [options]\n\n");
        if (commands.isEmpty()) {
            text.append("No commands found on the classpath.\n");
            return text.toString();
        }
        text.append("Commands:\n");
        int width = commands.keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Command command : commands.values()) {
            text.append("  ")
                    .append(command.name())
                    .append(" ".repeat(width - command.name().length() + 2))
                    .append(command.summary())
                    .append('\n');
        }
        text.append("\nRun 'blurstream <command> --help' for the options of a command.\n");
        return text.toString();
    }

    private static boolean asksForHelp(String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /** The message of a failure and of its causes, e.g. "cannot read x (caused by: …)". */
    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(message(e));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            text.append(" (caused by: ").append(message(cause)).append(')');
        }
        return text.toString();
    }

    private static String message(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank()
                ? e.getClass().getName()
                : e.getClass().getSimpleName() + ": " + message;
    }
}
