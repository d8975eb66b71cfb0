package io.blurstream.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The arguments of one command, after the command name: positional arguments followed by options.
 *
 * <ul>
 *   <li>{@code --name=value} and {@code --name value} give an option a value; a value may start
 *       with a single dash ({@code --shift -3}) but not with two (write {@code --name=--x}).
 *   <li>{@code --name} followed by another option or by nothing is a flag ({@code --json}, {@code
 *       --quick}); {@code --name=false} turns a flag off explicitly.
 *   <li>Positional arguments come before the options ({@code bench kernel --quick}); a lone {@code
 *       --} makes every later token positional.
 * </ul>
 *
 * <p>Parsing needs no declaration, so the typed getters work on any input; a command then calls
 * {@link #checkOptions} with the options it accepts, which rejects unknown and misspelt ones. Every
 * problem is reported as an {@link IllegalArgumentException} whose message names the option and
 * what was wrong, e.g. {@code --batch expects an integer, got 'abc'}.
 */
public final class Arguments {

    private static final Pattern OPTION_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern NEGATIVE_NUMBER = Pattern.compile("-\\.?[0-9].*");
    private static final Pattern DECIMAL =
            Pattern.compile("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    /** An option's value: {@code text} is null for a bare flag; {@code inline} for {@code =}. */
    private record Value(String text, boolean inline) {}

    private final List<String> positionals;
    private final Map<String, Value> options;

    private Arguments(List<String> positionals, Map<String, Value> options) {
        this.positionals = Collections.unmodifiableList(positionals);
        this.options = Collections.unmodifiableMap(options);
    }

    /**
     * Parses the tokens after the command name.
     *
     * @throws IllegalArgumentException for a malformed or repeated option, a single-dash option
     *     other than {@code -h}, or a positional argument after an option
     */
    public static Arguments parse(String... argv) {
        List<String> positionals = new ArrayList<>();
        Map<String, Value> options = new LinkedHashMap<>();
        String lastOption = null;
        for (int i = 0; i < argv.length; i++) {
            String token = argv[i];
            if (token.equals("--")) {
                positionals.addAll(Arrays.asList(argv).subList(i + 1, argv.length));
                break;
            }
            if (token.equals("-h")) {
                token = "--help";
            }
            if (token.startsWith("--")) {
                int eq = token.indexOf('=');
                String name = eq < 0 ? token.substring(2) : token.substring(2, eq);
                if (!OPTION_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException(
                            "malformed option '"
                                    + token
                                    + "': options are written --name or"
                                    + " --name=value");
                }
                Value value;
                if (eq >= 0) {
                    value = new Value(token.substring(eq + 1), true);
                } else if (i + 1 < argv.length && !isOption(argv[i + 1])) {
                    value = new Value(argv[++i], false);
                } else {
                    value = new Value(null, false);
                }
                if (options.putIfAbsent(name, value) != null) {
                    throw new IllegalArgumentException(
                            "--" + name + " is given more than once; give it once");
                }
                lastOption = name;
            } else if (isOption(token)) {
                throw new IllegalArgumentException(
                        "unknown short option '" + token + "': options are written --name");
            } else if (lastOption != null) {
                // The previous option already has its value: a bare `--name` would have taken
                // this token.
                throw new IllegalArgumentException(
                        "unexpected argument '"
                                + token
                                + "' after --"
                                + lastOption
                                + " "
                                + options.get(lastOption).text()
                                + ": positional arguments go before the options");
            } else {
                positionals.add(token);
            }
        }
        return new Arguments(positionals, options);
    }

    /** A token that starts an option: two dashes, or one dash not followed by a number. */
    private static boolean isOption(String token) {
        return token.startsWith("--")
                || (token.startsWith("-")
                        && token.length() > 1
                        && !NEGATIVE_NUMBER.matcher(token).matches());
    }

    /** The positional arguments, in order. */
    public List<String> positionals() {
        return positionals;
    }

    /** The positional argument at {@code index}, or {@code defaultValue} if there are fewer. */
    public String positional(int index, String defaultValue) {
        return index < positionals.size() ? positionals.get(index) : defaultValue;
    }

    /** The names of the options given, without dashes, in command-line order. */
    public Set<String> optionNames() {
        return options.keySet();
    }

    /** Whether the option was given, with or without a value. */
    public boolean has(String name) {
        return options.containsKey(name);
    }

    /**
     * Rejects options the command does not accept. The message lists the accepted options and, for
     * a likely typo, the closest one.
     *
     * @param accepted option names without dashes, e.g. {@code "batch", "json"}
     */
    public void checkOptions(String... accepted) {
        checkOptions(Arrays.asList(accepted));
    }

    /** As {@link #checkOptions(String...)}. */
    public void checkOptions(Collection<String> accepted) {
        List<String> unknown = new ArrayList<>();
        for (String name : options.keySet()) {
            if (!accepted.contains(name)) {
                unknown.add(
                        "--"
                                + name
                                + Suggestions.closest(name, accepted)
                                        .map(s -> " (did you mean --" + s + "?)")
                                        .orElse(""));
            }
        }
        if (unknown.isEmpty()) {
            return;
        }
        String known =
                accepted.isEmpty()
                        ? "this command takes no options"
                        : "accepted options: "
                                + accepted.stream()
                                        .map(a -> "--" + a)
                                        .collect(Collectors.joining(", "));
        throw new IllegalArgumentException(
                (unknown.size() == 1 ? "unknown option " : "unknown options ")
                        + String.join(", ", unknown)
                        + "; "
                        + known);
    }

    /** Rejects more than {@code max} positional arguments. */
    public void checkPositionals(int max) {
        if (positionals.size() <= max) {
            return;
        }
        String given =
                positionals.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", "));
        throw new IllegalArgumentException(
                max == 0
                        ? "this command takes no positional arguments, got " + given
                        : "expected at most "
                                + max
                                + (max == 1 ? " positional argument" : " positional arguments")
                                + ", got "
                                + positionals.size()
                                + ": "
                                + given);
    }

    /** A text option; {@code defaultValue} (may be null) when absent. */
    public String string(String name, String defaultValue) {
        Value value = options.get(name);
        if (value == null) {
            return defaultValue;
        }
        return required(name, value, "a value");
    }

    /**
     * A string option that must be given.
     *
     * @throws IllegalArgumentException {@code --name is required} when it is missing
     */
    public String requiredString(String name) {
        String value = string(name, null);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    /** An integer option, e.g. {@code --batch 64}. */
    public int integer(String name, int defaultValue) {
        Value value = options.get(name);
        if (value == null) {
            return defaultValue;
        }
        String text = required(name, value, "an integer");
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--" + name + " expects an integer, got '" + text + "'");
        }
    }

    /** A finite decimal option, e.g. {@code --learning-rate 3e-4}. */
    public double decimal(String name, double defaultValue) {
        Value value = options.get(name);
        if (value == null) {
            return defaultValue;
        }
        String text = required(name, value, "a number");
        Optional<Double> parsed = parseDecimal(text);
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException(
                    "--" + name + " expects a number, got '" + text + "'");
        }
        return parsed.get();
    }

    /**
     * A flag: false when absent, true when given bare or as {@code --name=true}, false for {@code
     * --name=false}.
     */
    public boolean flag(String name) {
        Value value = options.get(name);
        if (value == null) {
            return false;
        }
        if (value.text() == null) {
            return true;
        }
        if (!value.inline()) {
            throw new IllegalArgumentException(
                    "--"
                            + name
                            + " is a flag and takes no value, but is followed by '"
                            + value.text()
                            + "': positional arguments go before the options");
        }
        if (value.text().equalsIgnoreCase("true")) {
            return true;
        }
        if (value.text().equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(
                "--"
                        + name
                        + " is a flag: write --"
                        + name
                        + " or --"
                        + name
                        + "=false, got '"
                        + value.text()
                        + "'");
    }

    /** A comma-separated list of integers, e.g. {@code --windows 96,336}; never empty. */
    public List<Integer> intList(String name, List<Integer> defaultValue) {
        Value value = options.get(name);
        if (value == null) {
            return defaultValue;
        }
        String text = required(name, value, "a comma-separated list of integers");
        List<Integer> result = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            try {
                result.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--"
                                + name
                                + " expects a comma-separated list of integers such as 96,336,"
                                + " got '"
                                + text
                                + "'");
            }
        }
        return List.copyOf(result);
    }

    /**
     * A comma-separated list of names, e.g. {@code --phases ingest,latency}, trimmed; never empty.
     */
    public List<String> stringList(String name, List<String> defaultValue) {
        Value value = options.get(name);
        if (value == null) {
            return defaultValue;
        }
        String text = required(name, value, "a comma-separated list");
        List<String> result = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            if (part.isBlank()) {
                throw new IllegalArgumentException(
                        "--" + name + " has an empty item in '" + text + "'");
            }
            result.add(part.trim());
        }
        return List.copyOf(result);
    }

    private static String required(String name, Value value, String what) {
        if (value.text() == null) {
            throw new IllegalArgumentException(
                    "--" + name + " expects " + what + ", got none: write --" + name + " VALUE");
        }
        return value.text();
    }

    /** Decimal notation only: no NaN, infinities, hex floats or Java type suffixes. */
    private static Optional<Double> parseDecimal(String text) {
        if (!DECIMAL.matcher(text).matches()) {
            return Optional.empty();
        }
        double parsed = Double.parseDouble(text);
        return Double.isFinite(parsed) ? Optional.of(parsed) : Optional.empty();
    }
}
