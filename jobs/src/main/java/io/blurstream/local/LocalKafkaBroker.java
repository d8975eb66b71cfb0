package io.blurstream.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) in a child JVM, for
 * the local stack and the tests: no Docker, no ZooKeeper, loopback only. The child runs the
 * broker's own main class from the {@code kafka_2.13} jars on this JVM's class path, so the broker
 * is exactly the released one; a child process keeps its threads and memory out of ours and dies
 * with us.
 *
 * <pre>{@code
 * try (LocalKafkaBroker broker = LocalKafkaBroker.start(dataDir)) {
 *     broker.createTopics(Map.of("readings", 2));
 *     String servers = broker.bootstrapServers();
 * }
 * }</pre>
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    /**
     * The broker's heap and collector: those of Kafka's own start scripts ({@code
     * kafka-server-start.sh}, {@code kafka-run-class.sh}), so that the benchmarks measure the
     * broker as it is deployed. (A 64 MB-start heap under the serial collector collected about once
     * a second under the pipeline benchmark's load, pausing the broker 10–70 ms each time.)
     */
    static final List<String> BROKER_MEMORY_OPTIONS =
            List.of(
                    "-Xms1g",
                    "-Xmx1g",
                    "-XX:+UseG1GC",
                    "-XX:MaxGCPauseMillis=20",
                    "-XX:InitiatingHeapOccupancyPercent=35",
                    "-XX:+ExplicitGCInvokesConcurrent");

    /** Heap and collector of the short-lived tools run before the broker (storage format). */
    private static final List<String> TOOL_MEMORY_OPTIONS =
            List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC");

    /**
     * Environment variable with extra JVM options for the broker's JVM, e.g. a log4j2 configuration
     * that logs every request's timings, or a flight recording.
     */
    public static final String EXTRA_JAVA_OPTIONS = "BLURSTREAM_BROKER_JAVA_OPTS";

    private final Process process;
    private final String bootstrapServers;
    private final Path directory;

    /** Kills the broker if this JVM exits without closing it. */
    private final Thread killOnExit;

    private LocalKafkaBroker(Process process, String bootstrapServers, Path directory) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.directory = directory;
        this.killOnExit = new Thread(process::destroyForcibly, "kafka-broker-reaper");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Formats a fresh log directory under {@code directory} and starts a broker on free loopback
     * ports; returns once the broker answers admin requests.
     *
     * @throws IllegalStateException if the broker does not come up (with the tail of its log)
     */
    public static LocalKafkaBroker start(Path directory) throws IOException {
        return start(directory, Compiler.QUICK_START);
    }

    /** How the broker's JVM compiles: for a quick start, or for a long run at full speed. */
    public enum Compiler {
        /**
         * The client compiler only: the broker answers sooner, which suits tests and the demo; it
         * then spends more CPU per record than a fully compiled one.
         */
        QUICK_START,
        /**
         * Both compilers, as a broker runs in production: for benchmarks, where the broker shares
         * the machine with the job and its CPU counts against the job's.
         */
        OPTIMIZING
    }

    /** {@link #start(Path)} with the broker's JVM compiling as {@code compiler} says. */
    public static LocalKafkaBroker start(Path directory, Compiler compiler) throws IOException {
        Files.createDirectories(directory);
        int brokerPort = freePort();
        int controllerPort = freePort();
        Path config = directory.resolve("server.properties");
        Files.writeString(
                config,
                serverProperties(directory.resolve("logs"), brokerPort, controllerPort),
                StandardCharsets.UTF_8);
        Path log = directory.resolve("broker.log");
        String clusterId = clusterId();
        run(
                List.of(
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        clusterId,
                        "-c",
                        config.toString()),
                log,
                Compiler.QUICK_START,
                true);
        Process process =
                run(List.of("kafka.Kafka", config.toString()), log, compiler, false).orElseThrow();
        LocalKafkaBroker broker =
                new LocalKafkaBroker(process, "127.0.0.1:" + brokerPort, directory);
        try {
            broker.awaitReady(log);
        } catch (RuntimeException | IOException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** CPU time the broker process has used so far (zero where the platform does not say). */
    public Duration cpuTime() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** Whether the broker process is alive. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /** The folder holding the broker's configuration, log directory and {@code broker.log}. */
    public Path directory() {
        return directory;
    }

    /** Creates topics (name → partitions), replication factor 1; waits until they exist. */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        List<NewTopic> topics = new ArrayList<>();
        partitionsByTopic.forEach(
                (name, partitions) -> topics.add(new NewTopic(name, partitions, (short) 1)));
        try (Admin admin = admin()) {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "could not create topics " + partitionsByTopic.keySet(), e);
        }
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        return Admin.create(props);
    }

    /** Stops the broker (SIGTERM, then SIGKILL after 10 s); its files stay for inspection. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(Path log) throws IOException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "the Kafka broker exited with code "
                                    + process.exitValue()
                                    + " while starting; its log ends with:\n"
                                    + tail(log));
                }
                try {
                    admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "the Kafka broker did not answer within "
                                        + STARTUP_TIMEOUT.toSeconds()
                                        + " s; its log ends with:\n"
                                        + tail(log));
                    }
                }
            }
        }
    }

    private static java.util.Optional<Process> run(
            List<String> mainAndArgs, Path log, Compiler compiler, boolean wait)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // a short-lived tool (wait) gets the smallest footprint; the broker Kafka's own settings
        command.addAll(wait ? TOOL_MEMORY_OPTIONS : BROKER_MEMORY_OPTIONS);
        if (compiler == Compiler.QUICK_START) {
            command.add("-XX:TieredStopAtLevel=1");
        }
        if (!wait) {
            // last, so that they override the options above
            command.addAll(extraJavaOptions(System.getenv(EXTRA_JAVA_OPTIONS)));
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(mainAndArgs);
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .start();
        if (!wait) {
            return java.util.Optional.of(process);
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        mainAndArgs.get(0) + " failed; " + log + " ends with:\n" + tail(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + mainAndArgs.get(0), e);
        }
        return java.util.Optional.empty();
    }

    /**
     * Splits the value of {@link #EXTRA_JAVA_OPTIONS} into JVM options (whitespace separated); none
     * when unset.
     */
    static List<String> extraJavaOptions(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return List.of(value.trim().split("\\s+"));
    }

    static String serverProperties(Path logDir, int brokerPort, int controllerPort) {
        String host = "127.0.0.1";
        return String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@" + host + ":" + controllerPort,
                        "listeners=PLAINTEXT://"
                                + host
                                + ":"
                                + brokerPort
                                + ",CONTROLLER://"
                                + host
                                + ":"
                                + controllerPort,
                        "advertised.listeners=PLAINTEXT://" + host + ":" + brokerPort,
                        "controller.listener.names=CONTROLLER",
                        "inter.broker.listener.name=PLAINTEXT",
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                        "log.dirs=" + logDir.toAbsolutePath(),
                        "num.partitions=1",
                        "auto.create.topics.enable=false",
                        // one node: every internal topic has a single replica
                        "offsets.topic.replication.factor=1",
                        "offsets.topic.num.partitions=4",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "transaction.state.log.num.partitions=4",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        "group.initial.rebalance.delay.ms=0",
                        // Keep everything: the job stamps its records with event time, and a
                        // replay of historical data is years old by that clock, so time-based
                        // retention would delete committed records minutes after they were written.
                        "log.retention.ms=-1",
                        "log.flush.interval.messages=9223372036854775807",
                        "")
                + "\n";
    }

    static String clusterId() {
        // A Kafka cluster id is 16 random bytes in URL-safe base64 without padding. One that
        // starts with '-' reads as an option to the storage tool's parser (as Kafka's own
        // Uuid.randomUuid() avoids), so draw again.
        while (true) {
            UUID uuid = UUID.randomUUID();
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
            bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
            String id =
                    java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
            if (id.charAt(0) != '-') {
                return id;
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
