package io.refreshorchestrator.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdcListenerMainTest {

    @TempDir Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void captureConsole() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreConsole() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    @Test
    void shouldExplainItselfWithHelp() {
        int code = CdcListenerMain.run(Map.of(), "--help");

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(
                        "--config=FILE",
                        "CAPTURE_RESET",
                        "REFRESH_ORCHESTRATOR_",
                        "SIGTERM",
                        "Exit codes");
    }

    @Test
    void shouldPrintItsVersion() {
        assertThat(CdcListenerMain.run(Map.of(), "--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("cdc-listener ");
    }

    @Test
    void shouldExitWith2ListingEveryConfigurationProblem() throws Exception {
        var config =
                Files.writeString(
                        dir.resolve("bad.yaml"),
                        """
                        postgres: {port: 0, database: app}
                        cdc: {poll-interval: 5 parsecs, tables: [public.plays]}
                        """);

        int code = CdcListenerMain.run(Map.of(), "--config", config.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(
                        "postgres.port: must be between 1 and 65535",
                        "postgres.user: required",
                        "kafka.bootstrap-servers: required",
                        "cdc.poll-interval: not a duration: '5 parsecs'");
    }

    @Test
    void shouldExitWith2WithoutAConfigFile() {
        assertThat(CdcListenerMain.run(Map.of())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--config");
    }
}
