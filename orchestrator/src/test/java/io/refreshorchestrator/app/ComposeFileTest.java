package io.refreshorchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.config.OrchestratorConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

/**
 * What {@code docker-compose.yml} and the Dockerfiles promise, checked without a Docker engine:
 * loopback-only ports, health checks and start order, the services the project is built for, and a
 * configuration the orchestrator accepts with the compose environment applied.
 */
class ComposeFileTest {

    private static final String CONFIG_IN_CONTAINER = "/config/orchestrator.yml";

    @Test
    void shouldPublishEveryPortOnTheHostLoopbackOnly() throws Exception {
        // given the compose file
        var compose = ComposeFile.read();

        // then every published port names 127.0.0.1 as its host address
        for (String service : compose.services()) {
            assertThat(compose.list(service, "ports"))
                    .as("published ports of %s", service)
                    .allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:"));
        }
        assertThat(compose.list("orchestrator", "ports"))
                .as("the HTTP port, published where the API listens in the container")
                .containsExactly(
                        "127.0.0.1:8080:"
                                + compose.environment("orchestrator")
                                        .get("REFRESH_ORCHESTRATOR_HTTP_PORT"));
    }

    @Test
    void shouldStartTheOrchestratorOnlyOnceItsServicesAreHealthy() throws Exception {
        // given the compose file
        var compose = ComposeFile.read();

        // then every service has a health check and the orchestrator waits for the others' health
        for (String service : compose.services()) {
            assertThat(compose.service(service).path("healthcheck").path("test").size())
                    .as("%s has a health check", service)
                    .isPositive();
        }
        var dependsOn = compose.service("orchestrator").path("depends_on");
        assertThat(compose.services()).contains("postgres", "kafka");
        for (String service : compose.services()) {
            if (!service.equals("orchestrator")) {
                assertThat(dependsOn.path(service).path("condition").asText())
                        .as("orchestrator depends_on %s", service)
                        .isEqualTo("service_healthy");
            }
        }
        assertThat(compose.service("orchestrator").path("healthcheck").path("test").toString())
                .as("the orchestrator's health check is the image's /health/ready probe")
                .contains("/opt/refresh-orchestrator/ready-probe");
    }

    @Test
    void shouldRunPostgres15WithLogicalDecodingAndKafkaInKraftModeOfTheProjectsVersion()
            throws Exception {
        // given the compose file
        var compose = ComposeFile.read();

        // then PostgreSQL 15 decodes WAL logically and Kafka is the version the clients are
        assertThat(compose.service("postgres").path("image").asText()).isEqualTo("postgres:15");
        assertThat(compose.list("postgres", "command")).contains("wal_level=logical");
        assertThat(compose.service("kafka").path("image").asText())
                .isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
        assertThat(compose.environment("kafka"))
                .containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .containsKey("KAFKA_CONTROLLER_QUORUM_VOTERS");
        assertThat(compose.hostFilesMountedUnder("postgres", "/docker-entrypoint-initdb.d"))
                .as("the example schema runs when the database is created")
                .containsValue(ComposeFile.REPOSITORY.resolve("examples/local/schema.sql"));
    }

    @Test
    void shouldGiveTheOrchestratorAConfigurationItAcceptsWithInNetworkAddresses() throws Exception {
        // given the file compose mounts where the command reads its configuration
        var compose = ComposeFile.read();
        assertThat(compose.list("orchestrator", "command"))
                .containsSubsequence("--config", CONFIG_IN_CONTAINER);
        Path config = compose.hostFileMountedAt("orchestrator", CONFIG_IN_CONTAINER);

        // when it is loaded with the service's environment
        var loaded = OrchestratorConfigLoader.load(config, compose.environment("orchestrator"));

        // then the overrides reach the in-network services and open the API inside the container
        assertThat(loaded.postgres().host()).isEqualTo("postgres");
        assertThat(loaded.kafka())
                .hasValueSatisfying(
                        kafka -> assertThat(kafka.bootstrapServers()).isEqualTo("kafka:9092"));
        assertThat(loaded.http().bind()).isEqualTo("0.0.0.0");
        assertThat(loaded.postgres().database())
                .isEqualTo(compose.environment("postgres").get("POSTGRES_DB"));
        assertThat(loaded.postgres().user())
                .isEqualTo(compose.environment("postgres").get("POSTGRES_USER"));
        assertThat(loaded.postgres().password().reveal())
                .isEqualTo(compose.environment("postgres").get("POSTGRES_PASSWORD"));
    }

    @Test
    void shouldBuildJre17ImagesThatRunAsANonRootUser() throws Exception {
        for (String module : new String[] {"orchestrator", "cdc-listener"}) {
            // given the module's Dockerfile
            var dockerfile =
                    Files.readAllLines(
                            ComposeFile.REPOSITORY.resolve(module).resolve("Dockerfile"));

            // then its last stage is a JRE 17 that runs the shaded jar as a non-root user
            var lastFrom = dockerfile.stream().filter(line -> line.startsWith("FROM ")).toList();
            assertThat(lastFrom.get(lastFrom.size() - 1))
                    .as("%s base image", module)
                    .isEqualTo("FROM eclipse-temurin:17-jre");
            assertThat(dockerfile)
                    .as("%s user", module)
                    .anySatisfy(line -> assertThat(line).matches("USER [a-z-]+"))
                    .noneSatisfy(line -> assertThat(line).matches("USER (root|0)"));
        }
        assertThat(Files.readString(ComposeFile.REPOSITORY.resolve("orchestrator/Dockerfile")))
                .contains("HEALTHCHECK")
                .contains("CMD [\"/opt/refresh-orchestrator/ready-probe\"]")
                .contains("COPY docker/ready-probe.sh /opt/refresh-orchestrator/ready-probe");
    }
}
