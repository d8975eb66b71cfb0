package io.blurstream.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Flink session cluster on this machine without Docker or a Flink download: a JobManager and
 * TaskManagers in child JVMs started the way Flink's {@code bin/} scripts start them, and the Flink
 * command line ({@code CliFrontend}) to submit, stop and resume jobs.
 *
 * <p>The Flink jars are those on this JVM's class path (the released artifacts from Maven Central,
 * which {@code flink-dist} bundles), less this project's code, the Kafka connector and client (a
 * job jar brings those) and the local Kafka broker. As {@code taskmanager.sh} and {@code
 * jobmanager.sh} do, each process's heap, direct and metaspace limits and its memory options come
 * from {@code BashJavaUtils} run against the cluster's {@code config.yaml}.
 */
public final class StandaloneFlinkCluster implements AutoCloseable {

    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

    /**
     * What Flink's own {@code config.yaml} sets as {@code env.java.default-opts.all}, which its
     * scripts give every JVM they start (the client too): Flink reflects into these JDK packages.
     * The Vector API module is ours.
     */
    static final List<String> JVM_OPTIONS =
            List.of(
                    "--add-modules=jdk.incubator.vector",
                    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
    private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path home;
    private final Path confDir;
    private final Path logDir;
    private final String classpath;
    private final int restPort;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Thread killOnExit;

    private StandaloneFlinkCluster(Path home, String classpath, int restPort) {
        this.home = home;
        this.confDir = home.resolve("conf");
        this.logDir = home.resolve("log");
        this.classpath = classpath;
        this.restPort = restPort;
        this.killOnExit =
                new Thread(
                        () -> processes.forEach(Process::destroyForcibly), "flink-cluster-reaper");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Writes the configuration under {@code home}, starts a JobManager and {@code taskManagers}
     * TaskManagers of {@code slots} slots each, and returns once the REST API reports every slot.
     */
    public static StandaloneFlinkCluster start(Path home, int taskManagers, int slots)
            throws IOException, InterruptedException {
        Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("log"));
        int restPort = freePort();
        Files.writeString(
                home.resolve("conf/config.yaml"),
                config(home, freePort(), restPort, slots),
                StandardCharsets.UTF_8);
        Files.writeString(home.resolve("conf/log4j.properties"), LOG4J, StandardCharsets.UTF_8);
        StandaloneFlinkCluster cluster =
                new StandaloneFlinkCluster(home, flinkClasspath(), restPort);
        try {
            cluster.launch(
                    "GET_JM_RESOURCE_PARAMS",
                    "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                    "jobmanager");
            for (int i = 1; i <= taskManagers; i++) {
                cluster.launch(
                        "GET_TM_RESOURCE_PARAMS",
                        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                        "taskmanager-" + i);
            }
            cluster.awaitSlots(taskManagers * slots, Duration.ofSeconds(120));
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    static String config(Path home, int rpcPort, int restPort, int slots) {
        return String.join(
                        "\n",
                        "jobmanager.rpc.address: localhost",
                        "jobmanager.rpc.port: " + rpcPort,
                        "jobmanager.bind-host: localhost",
                        "taskmanager.bind-host: localhost",
                        "taskmanager.host: localhost",
                        "rest.address: localhost",
                        "rest.bind-address: localhost",
                        "rest.port: " + restPort,
                        "jobmanager.memory.process.size: 768m",
                        "taskmanager.memory.process.size: 1024m",
                        "taskmanager.numberOfTaskSlots: " + slots,
                        "parallelism.default: 1",
                        "execution.checkpointing.dir: file://" + home.resolve("checkpoints"),
                        "execution.checkpointing.savepoint-dir: file://"
                                + home.resolve("savepoints"),
                        "env.java.default-opts.all: " + String.join(" ", JVM_OPTIONS),
                        "")
                + "\n";
    }

    private static final String LOG4J =
            """
            rootLogger.level = INFO
            rootLogger.appenderRef.file.ref = file
            appender.file.type = File
            appender.file.name = file
            appender.file.fileName = ${sys:log.file}
            appender.file.layout.type = PatternLayout
            appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n
            """;

    /**
     * Flink's jars from this JVM's class path: everything but this project, the Kafka connector,
     * client and broker (and their Scala), Jackson and the other libraries a job jar brings.
     */
    static String flinkClasspath() {
        List<String> kept = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String path = entry.replace(File.separatorChar, '/');
            boolean jobSide =
                    !path.endsWith(".jar")
                            || path.contains("/io/blurstream/")
                            // this project's module jars inside a reactor build
                            || path.matches(".*/blurstream-[a-z]+-[^/]*\\.jar")
                            || path.contains("/flink-connector-kafka")
                            || path.contains("/org/apache/kafka/")
                            || path.contains("/org/scala-lang/")
                            || path.contains("/com/typesafe/")
                            || path.contains("/com/fasterxml/")
                            || path.contains("/org/yaml/snakeyaml/")
                            || path.contains("/org/tukaani/")
                            || path.contains("/com/github/luben/")
                            || path.contains("/at/yawk/")
                            || path.contains("/org/xerial/")
                            || path.contains("/org/openjdk/jmh/")
                            // run from a test: the test libraries stay out of the cluster too
                            || path.contains("/org/junit/")
                            || path.contains("/org/opentest4j/")
                            || path.contains("/org/assertj/")
                            || path.contains("/org/testcontainers/")
                            || path.endsWith("-tests.jar");
            if (!jobSide) {
                kept.add(entry);
            }
        }
        if (kept.stream().noneMatch(p -> p.contains("flink-runtime"))) {
            throw new IllegalStateException(
                    "no flink-runtime jar on the class path; run through ./blurstream");
        }
        return String.join(File.pathSeparator, kept);
    }

    /** Starts one cluster process the way Flink's scripts do. */
    private void launch(String resourceCommand, String mainClass, String name)
            throws IOException, InterruptedException {
        List<String> resources = bashJavaUtils(resourceCommand);
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(Arrays.asList(resources.get(0).trim().split("\\s+")));
        command.addAll(JVM_OPTIONS);
        command.add("-Dlog.file=" + logDir.resolve(name + ".log"));
        command.add("-Dlog4j.configurationFile=file:" + confDir.resolve("log4j.properties"));
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.add("--configDir");
        command.add(confDir.toString());
        if (resources.size() > 1 && !resources.get(1).isBlank()) {
            command.addAll(Arrays.asList(resources.get(1).trim().split("\\s+")));
        }
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(logDir.resolve(name + ".out").toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
        processes.add(process);
    }

    /** The result lines of {@code BashJavaUtils}: JVM options, then dynamic properties. */
    private List<String> bashJavaUtils(String command) throws IOException, InterruptedException {
        Output output =
                run(
                        List.of(
                                java(),
                                "-Xmx128m",
                                "-cp",
                                classpath,
                                "org.apache.flink.runtime.util.bash.BashJavaUtils",
                                command,
                                "--configDir",
                                confDir.toString()),
                        Map.of(),
                        Duration.ofSeconds(60));
        List<String> results =
                output.text()
                        .lines()
                        .filter(line -> line.startsWith(RESULT_PREFIX))
                        .map(line -> line.substring(RESULT_PREFIX.length()))
                        .toList();
        if (output.exitCode() != 0 || results.isEmpty()) {
            throw new IllegalStateException(
                    "BashJavaUtils " + command + " failed:\n" + output.text());
        }
        return results;
    }

    private void awaitSlots(int slots, Duration timeout) throws InterruptedException {
        boolean offered =
                Poll.until(
                        timeout,
                        Duration.ofMillis(250),
                        () -> {
                            for (Process process : processes) {
                                if (!process.isAlive()) {
                                    throw new IllegalStateException(
                                            "a cluster process exited with code "
                                                    + process.exitValue()
                                                    + "; see the logs in "
                                                    + logDir);
                                }
                            }
                            try {
                                return rest("/overview").path("slots-total").asInt() >= slots;
                            } catch (IOException notUpYet) {
                                // the REST endpoint starts with the JobManager
                                return false;
                            }
                        });
        if (offered) {
            return;
        }
        throw new IllegalStateException(
                "the cluster did not offer "
                        + slots
                        + " slots within "
                        + timeout
                        + "; see "
                        + logDir);
    }

    /** A GET on the REST API, as JSON. */
    public JsonNode rest(String path) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(restAddress() + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    public String restAddress() {
        return "http://localhost:" + restPort;
    }

    /**
     * {@code flink run -d -p P [-s SAVEPOINT] JAR ARGS}; returns the job id.
     *
     * @param savepoint the savepoint to start from, or null
     */
    public String submit(Path jar, int parallelism, String savepoint, List<String> args)
            throws IOException, InterruptedException {
        List<String> cli = new ArrayList<>(List.of("run", "-d", "-p", String.valueOf(parallelism)));
        if (savepoint != null) {
            cli.add("-s");
            cli.add(savepoint);
        }
        cli.add(jar.toString());
        cli.addAll(args);
        return find(JOB_ID, flink(cli), "flink run");
    }

    /** {@code flink stop --savepointPath DIR JOB}: stops the job with a savepoint; its path. */
    public String stopWithSavepoint(String jobId) throws IOException, InterruptedException {
        return find(
                SAVEPOINT,
                flink(
                        List.of(
                                "stop",
                                "--savepointPath",
                                "file://" + home.resolve("savepoints"),
                                jobId)),
                "flink stop");
    }

    /** The state of a job, e.g. {@code RUNNING}, from the REST API. */
    public String jobState(String jobId) throws IOException, InterruptedException {
        return rest("/jobs/" + jobId).path("state").asText();
    }

    /** Checkpoints of the job completed so far, from the REST API. */
    public long completedCheckpoints(String jobId) throws IOException, InterruptedException {
        return rest("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    /** The highest parallelism of the job's operators, from the REST API. */
    public int jobParallelism(String jobId) throws IOException, InterruptedException {
        int max = 0;
        for (JsonNode vertex : rest("/jobs/" + jobId).path("vertices")) {
            max = Math.max(max, vertex.path("parallelism").asInt());
        }
        return max;
    }

    /**
     * Runs a {@code blurstream} command from the job jar, with Flink's jars beside it as on a
     * cluster node (the way docker-compose.yml runs the refit service and the replay); its output.
     */
    public String blurstream(Path jobJar, List<String> args)
            throws IOException, InterruptedException {
        return runTool(
                "blurstream",
                List.of("-Xmx512m", "-cp", classpath + File.pathSeparator + jobJar),
                "io.blurstream.cli.Blurstream",
                args,
                Map.of(),
                Duration.ofMinutes(5));
    }

    /** Runs the Flink command line against this cluster; its output. */
    private String flink(List<String> args) throws IOException, InterruptedException {
        return runTool(
                "flink",
                List.of(
                        "-Xmx256m",
                        "-Dlog.file=" + logDir.resolve("client.log"),
                        "-Dlog4j.configurationFile=file:" + confDir.resolve("log4j.properties"),
                        "-cp",
                        classpath),
                "org.apache.flink.client.cli.CliFrontend",
                args,
                Map.of("FLINK_CONF_DIR", confDir.toString()),
                Duration.ofMinutes(3));
    }

    /** A command-line tool in a child JVM with Flink's JVM options: its output, or a failure. */
    private String runTool(
            String name,
            List<String> jvmOptions,
            String mainClass,
            List<String> args,
            Map<String, String> environment,
            Duration timeout)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(JVM_OPTIONS);
        command.addAll(jvmOptions);
        command.add(mainClass);
        command.addAll(args);
        Output output = run(command, environment, timeout);
        if (output.exitCode() != 0) {
            throw new IllegalStateException(
                    name + " " + String.join(" ", args) + " failed:\n" + output.text());
        }
        return output.text();
    }

    private static String find(Pattern pattern, String output, String what) {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException(what + " printed no " + pattern + ":\n" + output);
        }
        return matcher.group(1);
    }

    private record Output(int exitCode, String text) {}

    private Output run(List<String> command, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(logDir, "command", ".out");
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(
                    command.get(command.size() - 1) + " did not finish within " + timeout);
        }
        return new Output(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    public Path logDirectory() {
        return logDir;
    }

    /** Stops the TaskManagers, then the JobManager. */
    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process process = processes.get(i);
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
