package io.refreshorchestrator.local;

import java.util.concurrent.CountDownLatch;

/** A child JVM for {@link OrphanCleanupIT}: starts a stack, says where it is, waits forever. */
public final class LocalStackChild {

    private LocalStackChild() {}

    public static void main(String[] args) throws InterruptedException {
        var stack = LocalStack.start();
        System.out.println(
                "READY broker="
                        + stack.kafka().pid()
                        + " kafkaDir="
                        + stack.kafka().directory()
                        + " postmaster="
                        + stack.postgres().postmasterPid().orElseThrow()
                        + " postgresDir="
                        + stack.postgres().directory());
        new CountDownLatch(1).await();
    }
}
