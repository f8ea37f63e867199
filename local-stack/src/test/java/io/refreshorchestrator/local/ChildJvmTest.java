package io.refreshorchestrator.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildJvmTest {

    @Test
    void shouldRunTheMainClassWithThisJvmAndThisClasspath() {
        // when
        var command =
                ChildJvm.command(
                        List.of("-Xmx512m"),
                        Map.of("logback.configurationFile", "/tmp/logback.xml"),
                        "com.example.Main",
                        List.of("server.properties"));

        // then
        assertThat(command)
                .containsExactly(
                        ChildJvm.javaExecutable().toString(),
                        "-Xmx512m",
                        "-Dlogback.configurationFile=/tmp/logback.xml",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "com.example.Main",
                        "server.properties");
    }

    @Test
    void shouldFindAnExecutableJavaLauncher() {
        assertThat(Files.isExecutable(ChildJvm.javaExecutable())).isTrue();
    }
}
