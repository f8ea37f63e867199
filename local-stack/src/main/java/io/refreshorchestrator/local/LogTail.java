package io.refreshorchestrator.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Reads the last lines of a server log, to put into the message of a failed start. */
final class LogTail {

    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {}

    /** Returns "last N lines of FILE:" followed by those lines, or a note when unreadable. */
    static String of(Path file, int maxLines) {
        if (!Files.isRegularFile(file)) {
            return "(no log at " + file + ")";
        }
        try {
            List<String> lines = lastLines(file, maxLines);
            return "--- last "
                    + lines.size()
                    + " lines of "
                    + file
                    + " ---\n"
                    + String.join("\n", lines);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** The current length of {@code file}, 0 when it does not exist (yet): an offset for since. */
    static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Returns what was appended to {@code file} after it was {@code offset} bytes long. */
    static String since(Path file, long offset) {
        try (var input = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(offset, input.length() - MAX_BYTES);
            byte[] bytes = new byte[(int) Math.max(0, input.length() - start)];
            input.seek(start);
            input.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static List<String> lastLines(Path file, int maxLines) throws IOException {
        try (var input = new RandomAccessFile(file.toFile(), "r")) {
            long length = input.length();
            int size = (int) Math.min(length, MAX_BYTES);
            byte[] bytes = new byte[size];
            input.seek(length - size);
            input.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            List<String> lines = Arrays.asList(text.split("\r?\n", -1));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines = lines.subList(0, lines.size() - 1);
            }
            if (size < length && !lines.isEmpty()) {
                lines = lines.subList(1, lines.size()); // the first line was cut
            }
            return lines.subList(Math.max(0, lines.size() - maxLines), lines.size());
        }
    }
}
