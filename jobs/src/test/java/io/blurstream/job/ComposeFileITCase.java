package io.blurstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.blurstream.cli.Blurstream;
import io.blurstream.cli.Command;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml checked as far as a machine without Docker allows (it runs after the job jar
 * is packaged): it parses, with anchors and merge keys resolved as Compose resolves them; the
 * images are the Kafka and Flink versions the build uses; every file it mounts exists; the job's
 * main class is in the job jar and its options file holds only known options of the right types;
 * and every command it runs from the job jar exists and takes the options it is given.
 */
class ComposeFileITCase {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @SuppressWarnings("unchecked")
    static Map<String, Object> compose() throws Exception {
        try (Reader in = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            return (Map<String, Object>) new Yaml().load(in);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> services() throws Exception {
        return (Map<String, Map<String, Object>>) compose().get("services");
    }

    @Test
    void theServicesRunTheBuildsKafkaAndFlinkVersions() throws Exception {
        Map<String, Map<String, Object>> services = services();
        assertThat(services)
                .containsKeys(
                        "kafka",
                        "topics",
                        "init",
                        "jobmanager",
                        "taskmanager-1",
                        "taskmanager-2",
                        "refit",
                        "replay");
        String flinkImage = "flink:" + EnvironmentInformation.getVersion() + "-java17";
        String kafkaImage = "apache/kafka:" + AppInfoParser.getVersion();
        for (String name : List.of("kafka", "topics")) {
            assertThat(services.get(name).get("image")).as(name).isEqualTo(kafkaImage);
        }
        for (String name :
                List.of(
                        "init",
                        "jobmanager",
                        "taskmanager-1",
                        "taskmanager-2",
                        "refit",
                        "replay")) {
            assertThat(services.get(name).get("image")).as(name).isEqualTo(flinkImage);
        }
        assertThat(services.get("replay").get("profiles")).isEqualTo(List.of("replay"));
        for (String name : List.of("kafka", "jobmanager", "taskmanager-1", "taskmanager-2")) {
            assertThat(services.get(name)).as(name).containsKey("healthcheck");
            assertThat(services.get(name).get("restart")).as(name).isEqualTo("unless-stopped");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> volumes = (Map<String, Object>) compose().get("volumes");
        assertThat(volumes).containsKeys("checkpoints", "savepoints", "kafka-data", "keys");
        String flinkProperties =
                (String) environment(services.get("jobmanager")).get("FLINK_PROPERTIES");
        assertThat(flinkProperties)
                .contains("execution.checkpointing.dir: file:///flink/checkpoints")
                .contains("env.java.opts.all: --add-modules jdk.incubator.vector");
    }

    @Test
    void everyMountedFileExistsAndTheJobStartsFromTheJarWithKnownOptions() throws Exception {
        Map<String, Map<String, Object>> services = services();
        for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            for (String volume : strings(service.getValue().get("volumes"))) {
                String source = volume.split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(ROOT.resolve(source.substring(2)))
                            .as(service.getKey() + " mounts " + source)
                            .exists();
                }
            }
        }
        List<String> command = strings(services.get("jobmanager").get("command"));
        assertThat(command.get(0)).isEqualTo("standalone-job");
        String mainClass = command.get(command.indexOf("--job-classname") + 1);
        try (JarFile jar = new JarFile(JobJarITCase.JAR.toFile())) {
            assertThat(jar.getEntry(mainClass.replace('.', '/') + ".class"))
                    .as(mainClass)
                    .isNotNull();
            var options =
                    JobConfiguration.parse(
                            "--config",
                            hostPath(services.get("jobmanager"), argument(command, "--config"))
                                    .toString());
            String catalog = options.get(ForecastJobOptions.CATALOG);
            assertThat(jar.getEntry(catalog.substring("classpath:".length())))
                    .as(catalog)
                    .isNotNull();
            assertThat(
                            hostPath(
                                    services.get("jobmanager"),
                                    options.get(ForecastJobOptions.MODEL_FILE)))
                    .isRegularFile();
            assertThat(options.get(ForecastJobOptions.MODEL_KEY_FILE)).isEqualTo("/keys/model.key");
        }
    }

    @Test
    void theCommandsRunFromTheJobJarExistAndTakeTheirOptions() throws Exception {
        Map<String, Map<String, Object>> services = services();
        Map<String, Command> commands = Blurstream.discover(false).commands();
        for (String name : List.of("refit", "replay")) {
            Map<String, Object> service = services.get(name);
            assertThat(strings(service.get("entrypoint")))
                    .as(name)
                    .endsWith(Blurstream.class.getName());
            List<String> command = strings(service.get("command"));
            Command cli = commands.get(command.get(0));
            assertThat(cli).as(name + " runs " + command.get(0)).isNotNull();
            for (String arg : command) {
                if (arg.startsWith("--")) {
                    assertThat(cli.usage()).as(name + " passes " + arg).contains(arg + " ");
                }
            }
            for (String path : List.of("--model", "--data")) {
                if (command.contains(path)) {
                    assertThat(hostPath(service, argument(command, path)))
                            .as(name + " " + path)
                            .exists();
                }
            }
        }
        assertThat(strings(services.get("init").get("command")).get(0))
                .contains("io.blurstream.cli.Blurstream keygen --hmac /keys/model.key");
        assertThat(commands.get("keygen").usage()).contains("--hmac FILE");
    }

    /** Where a path inside a service's container comes from on this machine (a bind mount). */
    static Path hostPath(Map<String, Object> service, String containerPath) {
        for (String volume : strings(service.get("volumes"))) {
            String[] parts = volume.split(":");
            if (parts[0].startsWith("./") && containerPath.startsWith(parts[1])) {
                return ROOT.resolve(parts[0].substring(2))
                        .resolve(containerPath.substring(parts[1].length()).replaceFirst("^/", ""));
            }
        }
        throw new AssertionError("no bind mount holds " + containerPath + " in " + service);
    }

    static String argument(List<String> command, String option) {
        int at = command.indexOf(option);
        assertThat(at).as(option + " in " + command).isNotNegative();
        return command.get(at + 1);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> environment(Map<String, Object> service) {
        Object environment = service.get("environment");
        return environment == null ? new LinkedHashMap<>() : (Map<String, Object>) environment;
    }

    static List<String> strings(Object list) {
        List<String> out = new ArrayList<>();
        if (list instanceof List<?> items) {
            items.forEach(item -> out.add(String.valueOf(item)));
        } else if (list != null) {
            out.add(String.valueOf(list));
        }
        return out;
    }
}
