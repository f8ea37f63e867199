package io.refreshorchestrator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresBinariesTest {

    @TempDir Path root;

    @Test
    void shouldPreferTheDirectoryInPgBin() throws Exception {
        // given
        Path explicit = serverPrograms(root.resolve("custom"));
        serverPrograms(root.resolve("debian/16/bin"));

        // when
        Path found =
                PostgresBinaries.findBinDirectory(
                        explicit.toString(), root.resolve("debian"), null);

        // then
        assertThat(found).isEqualTo(explicit);
    }

    @Test
    void shouldFailWhenPgBinHasNoServerPrograms() {
        assertThatThrownBy(() -> PostgresBinaries.findBinDirectory(root.toString(), root, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PG_BIN=" + root);
    }

    @Test
    void shouldPickTheHighestDebianVersionComparedAsNumbers() throws Exception {
        // given
        Path debian = root.resolve("debian");
        serverPrograms(debian.resolve("9.6/bin"));
        serverPrograms(debian.resolve("15/bin"));
        serverPrograms(debian.resolve("16/bin"));
        Files.createDirectories(debian.resolve("17/bin")); // client programs only

        // when
        Path found = PostgresBinaries.findBinDirectory(null, debian, null);

        // then
        assertThat(found).isEqualTo(debian.resolve("16/bin"));
    }

    @Test
    void shouldFallBackToThePath() throws Exception {
        // given
        Path onPath = serverPrograms(root.resolve("usr/local/bin"));
        String path = root.resolve("empty") + ":" + onPath;

        // when
        Path found = PostgresBinaries.findBinDirectory(null, root.resolve("no-debian"), path);

        // then
        assertThat(found).isEqualTo(onPath.toRealPath());
    }

    @Test
    void shouldSayHowToInstallPostgresqlWhenNothingIsFound() {
        assertThatThrownBy(
                        () ->
                                PostgresBinaries.findBinDirectory(
                                        "", root.resolve("none"), root.toString()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apt-get install postgresql");
    }

    @Test
    void shouldRunProgramsAsThePostgresUserWhenRoot() {
        var binaries = new PostgresBinaries(Path.of("/pg/bin"), true);

        assertThat(binaries.command("pg_ctl", "status"))
                .containsExactly("runuser", "-u", "postgres", "--", "/pg/bin/pg_ctl", "status");
    }

    @Test
    void shouldRunProgramsDirectlyOtherwise() {
        var binaries = new PostgresBinaries(Path.of("/pg/bin"), false);

        assertThat(binaries.command("initdb", "-D", "/data"))
                .containsExactly("/pg/bin/initdb", "-D", "/data");
    }

    @Test
    void shouldCompareVersionsNumerically() {
        assertThat(PostgresBinaries.compareVersions("9.6", "15")).isNegative();
        assertThat(PostgresBinaries.compareVersions("16", "15")).isPositive();
        assertThat(PostgresBinaries.compareVersions("15", "15.0")).isZero();
    }

    private static Path serverPrograms(Path directory) throws IOException {
        Files.createDirectories(directory);
        for (String program : new String[] {"initdb", "pg_ctl"}) {
            Path file = Files.writeString(directory.resolve(program), "#!/bin/sh\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return directory;
    }
}
