package io.blurstream.cli;

/**
 * One {@code blurstream} sub-command. Implementations are found with {@link
 * java.util.ServiceLoader}: a module contributes commands by listing their class names in {@code
 * META-INF/services/io.blurstream.cli.Command}. A provider needs a public no-argument constructor;
 * construction should be cheap (every command is instantiated to print the command list).
 *
 * <p>A command validates its own arguments: it calls {@link Arguments#checkOptions} with the
 * options it accepts before it reads any of them, so a misspelt option fails instead of being
 * ignored. {@code --help} never reaches {@link #run}: the launcher prints {@link #usage()}.
 */
public interface Command {

    /** The word that selects this command, lower case, e.g. {@code "version"}. */
    String name();

    /** One line for the command list, without a trailing period. */
    String summary();

    /**
     * The full help text: synopsis, every option with its default, and examples. Printed as is by
     * {@code blurstream <name> --help}.
     */
    String usage();

    /**
     * Runs the command.
     *
     * @return the process exit code: 0 on success
     * @throws IllegalArgumentException when the arguments are wrong; the launcher prints the
     *     message with a pointer to {@code --help} and exits with code 2
     * @throws Exception for any other failure; the launcher prints the message and exits with 1
     */
    int run(Arguments args, Console console) throws Exception;
}
