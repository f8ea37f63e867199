package io.refreshorchestrator.api;

import io.refreshorchestrator.localmode.DataDirectory;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data-dir}: where a local-mode process keeps its data and its instance file. */
final class DataDirOption {

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "Local data directory, default "
                            + DataDirectory.DEFAULT_NAME
                            + " in the working directory: where run without"
                            + " kafka.bootstrap-servers keeps the embedded broker's data and"
                            + " its instance.json, through which the other commands find it.")
    Path dataDir;

    /** Whether the option was given. */
    boolean given() {
        return dataDir != null;
    }

    DataDirectory directory() {
        return dataDir == null ? DataDirectory.defaultDirectory() : DataDirectory.at(dataDir);
    }
}
