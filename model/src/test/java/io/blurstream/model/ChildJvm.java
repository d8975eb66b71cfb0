package io.blurstream.model;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a test class's {@code main} in a JVM of its own, on the tests' class path. */
public final class ChildJvm {

    private ChildJvm() {}

    /**
     * Runs {@code mainClass} with the vector module and {@code jvmOptions}, and returns what it
     * printed, trimmed.
     *
     * @throws AssertionError if it did not end within two minutes or ended with an error
     */
    public static String run(Class<?> mainClass, String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.add("--add-modules=jdk.incubator.vector");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        Process process =
                new ProcessBuilder(command)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .redirectInput(new File("/dev/null"))
                        .start();
        String output =
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(mainClass.getSimpleName() + " did not end within 120 s");
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(
                    mainClass.getSimpleName()
                            + " ended with exit code "
                            + process.exitValue()
                            + ", output: "
                            + output);
        }
        return output;
    }
}
