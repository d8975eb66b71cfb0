package io.blurstream.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Commands registered only on the test classpath (see src/test/resources/META-INF/services). */
final class TestCommands {

    private TestCommands() {}

    /** A command that does nothing, with any name; not registered. */
    static Command named(String name) {
        return new Command() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String summary() {
                return "Do nothing";
            }

            @Override
            public String usage() {
                return "Usage: blurstream " + name;
            }

            @Override
            public int run(Arguments args, Console console) {
                return Blurstream.EXIT_OK;
            }
        };
    }

    /** Reads every kind of option, prints a table and a note, then a JSON line with --json. */
    public static final class Echo implements Command {
        @Override
        public String name() {
            return "echo";
        }

        @Override
        public String summary() {
            return "Echo the parsed arguments (test only)";
        }

        @Override
        public String usage() {
            return "Usage: blurstream echo [SUITE] [--batch N] [--windows LIST] [--rate X]"
                    + " [--quick] [--json]";
        }

        @Override
        public int run(Arguments args, Console console) {
            args.checkOptions("batch", "windows", "rate", "quick", "json");
            args.checkPositionals(1);
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("suite", args.positional(0, "all"));
            values.put("batch", args.integer("batch", 32));
            values.put("windows", args.intList("windows", List.of(96)));
            values.put("rate", args.decimal("rate", 0.5));
            values.put("quick", args.flag("quick"));
            console.info("echoing " + values.size() + " values");
            Table table = new Table("name", "value");
            values.forEach(table::row);
            console.print(table);
            if (console.json()) {
                console.printJson(values);
            }
            return Blurstream.EXIT_OK;
        }
    }

    /** Fails in the way its positional argument names. */
    public static final class Fail implements Command {
        @Override
        public String name() {
            return "fail";
        }

        @Override
        public String summary() {
            return "Fail on purpose (test only)";
        }

        @Override
        public String usage() {
            return "Usage: blurstream fail usage|crash|exit|init";
        }

        @Override
        public int run(Arguments args, Console console) throws Exception {
            args.checkOptions();
            switch (args.positional(0, "")) {
                case "usage" -> throw new IllegalArgumentException("--size must be positive");
                case "crash" ->
                        throw new IllegalStateException(
                                "model file is corrupt",
                                new IOException("unexpected end of stream"));
                case "exit" -> {
                    return 3;
                }
                case "init" -> {
                    return BrokenInitialiser.VALUE;
                }
                default -> throw new IllegalArgumentException("say usage, crash, exit or init");
            }
        }
    }

    /** Like a class that reads a bad -D property in its static initialiser. */
    private static final class BrokenInitialiser {
        static final int VALUE = read();

        private static int read() {
            throw new IllegalStateException("-Dtest.mode must be 'a' or 'b', got 'c'");
        }
    }
}
