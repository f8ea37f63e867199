package io.refreshorchestrator.benchmark.compare;

import io.refreshorchestrator.local.LocalStack;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/** What a strategy may use: the stack, the workload database and a scratch directory. */
record BenchContext(LocalStack stack, String database, Path workDirectory) {

    Connection connect() throws SQLException {
        return stack.postgres().connect(database);
    }
}
