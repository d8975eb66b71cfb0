package io.blurstream.cli;

import io.blurstream.model.kernel.KernelMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Properties;

/** {@code blurstream version}: what is running, for bug reports and benchmark records. */
public final class VersionCommand implements Command {

    /** Written by Maven resource filtering; see jobs/pom.xml. */
    static final String RESOURCE = "blurstream.properties";

    /** The facts printed, also the shape of the {@code --json} line. */
    public record Info(
            String blurstream,
            String java,
            String javaVendor,
            boolean vectorApi,
            String kernel,
            int cpus) {}

    @Override
    public String name() {
        return "version";
    }

    @Override
    public String summary() {
        return "Print the Blurstream and Java versions, Vector API availability and CPU count";
    }

    @Override
    public String usage() {
        return """
        Usage: blurstream version [--json]

        Prints the Blurstream version, the Java version and vendor, whether the
        Vector API module (jdk.incubator.vector) is loaded, which kernel
        implementation the model uses (vector or scalar) and the number of CPUs
        available to the JVM.

        Options:
          --json    print the same facts as one JSON line instead

        Examples:
          blurstream version
          blurstream version --json
        """;
    }

    @Override
    public int run(Arguments args, Console console) {
        args.checkOptions("json");
        args.checkPositionals(0);
        Info info = info();
        if (console.json()) {
            console.printJson(info);
            return Blurstream.EXIT_OK;
        }
        console.println(line("blurstream", info.blurstream()));
        console.println(line("java", info.java() + " (" + info.javaVendor() + ")"));
        console.println(
                line(
                        "vector api",
                        info.vectorApi()
                                ? "present"
                                : "absent (start java with --add-modules=jdk.incubator.vector)"));
        console.println(line("kernel", info.kernel()));
        console.println(line("cpus", Integer.toString(info.cpus())));
        return Blurstream.EXIT_OK;
    }

    /** The facts about this JVM. */
    public static Info info() {
        return new Info(
                projectVersion(),
                System.getProperty("java.version"),
                System.getProperty("java.vendor"),
                KernelMode.vectorApiPresent(),
                KernelMode.active().name().toLowerCase(Locale.ROOT),
                Runtime.getRuntime().availableProcessors());
    }

    /** The Maven project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String projectVersion() {
        try (InputStream in = VersionCommand.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        RESOURCE + " is missing from the classpath: rebuild with Maven");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            if (version.isBlank() || version.startsWith("${")) {
                throw new IllegalStateException(
                        RESOURCE + " was not filtered by Maven: rebuild with Maven");
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    private static String line(String key, String value) {
        return String.format("%-12s%s", key, value);
    }
}
