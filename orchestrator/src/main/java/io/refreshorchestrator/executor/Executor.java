package io.refreshorchestrator.executor;

import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.config.PostgresSettings;
import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.events.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's consumer loop: reads {@code refresh-commands}, runs commands of different jobs in
 * parallel (up to {@code maxConcurrentRefreshes}, one at a time per job), publishes each result (or
 * dead letter), and commits a partition's offsets only up to the first command whose output Kafka
 * has not acknowledged yet. A crash at any point before the commit means redelivery, and a
 * redelivered command that already ran is SKIPPED, never run twice.
 *
 * <p>Runs may take far longer than {@code max.poll.interval.ms}: they happen on worker threads
 * while this thread keeps polling, pausing the partitions only when too many commands wait.
 */
public final class Executor implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Executor.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration BUSY_POLL = Duration.ofMillis(20);

    /** How long cancelled runs get to report before the clients close. */
    private static final Duration CANCEL_GRACE = Duration.ofSeconds(10);

    /** Commands held in memory before fetching pauses. */
    static final int MAX_QUEUED = 5_000;

    private final Topics topics;
    private final CommandDecoder decoder;
    private final RefreshRunner runner;
    private final boolean ownsRunner;
    private final KafkaConsumer<String, byte[]> consumer;
    private final OutputPublisher output;
    private final CommandWork work;
    private final ExecutorService workers;
    private final ExecutorService rejections;
    private final int maxConcurrent;
    private final Backoff backoff;
    private final JobLanes lanes = new JobLanes();
    private final OffsetTracker offsets = new OffsetTracker();
    private final Queue<CommandWork.Finished> finished = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicReference<Set<TopicPartition>> assigned =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Duration pollTimeout;
    private final Duration shutdownTimeout;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final String instanceId;
    private volatile Consumer<String> onFatal = reason -> {};

    /** An executor running commands with {@code runner}, which stays the caller's to close. */
    public Executor(
            KafkaSettings kafka,
            Topics topics,
            JobGraph jobs,
            RefreshRunner runner,
            ExecutorSettings settings) {
        this(kafka, topics, jobs, runner, settings, false);
    }

    private Executor(
            KafkaSettings kafka,
            Topics topics,
            JobGraph jobs,
            RefreshRunner runner,
            ExecutorSettings settings,
            boolean ownsRunner) {
        this.topics = topics;
        this.decoder = new CommandDecoder(jobs, settings.maxCommandBytes(), Clock.systemUTC());
        this.runner = runner;
        this.ownsRunner = ownsRunner;
        this.pollTimeout = settings.pollTimeout();
        this.shutdownTimeout = settings.shutdownTimeout();
        this.instanceId = settings.instanceId().orElse(null);
        this.maxConcurrent = settings.maxConcurrentRefreshes();
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), new Random());
        this.consumer = new KafkaConsumer<>(KafkaClients.consumerConfig(kafka, settings));
        try {
            this.output =
                    new OutputPublisher(
                            new KafkaProducer<>(KafkaClients.producerConfig(kafka)),
                            backoff,
                            closing);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        this.work = new CommandWork(runner, output, topics, finished);
        var workerNumber = new AtomicInteger();
        this.workers =
                Executors.newFixedThreadPool(
                        maxConcurrent,
                        task ->
                                new Thread(
                                        task,
                                        "refresh-executor-worker-"
                                                + workerNumber.incrementAndGet()));
        this.rejections =
                Executors.newSingleThreadExecutor(
                        task -> new Thread(task, "refresh-executor-dead-letters"));
    }

    /** An executor with a runner and connection pool of its own, all closed by {@link #close}. */
    public static Executor create(
            KafkaSettings kafka,
            PostgresSettings postgres,
            Topics topics,
            JobGraph jobs,
            ExecutorSettings settings) {
        return create(kafka, postgres, topics, jobs, settings, System::getenv);
    }

    /** As {@link #create(KafkaSettings, PostgresSettings, Topics, JobGraph, ExecutorSettings)}. */
    static Executor create(
            KafkaSettings kafka,
            PostgresSettings postgres,
            Topics topics,
            JobGraph jobs,
            ExecutorSettings settings,
            Function<String, String> env) {
        RefreshRunner runner = RefreshRunner.create(postgres, settings, env);
        try {
            return new Executor(kafka, topics, jobs, runner, settings, true);
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
    }

    /** Called once when the executor stops for a reason that needs an operator. */
    public Executor onFatal(Consumer<String> listener) {
        this.onFatal = listener;
        return this;
    }

    /**
     * The command partitions this executor owns, empty until the group gave it an assignment (and
     * again after it lost one). An assignment may be empty itself: more instances than partitions.
     */
    public Optional<Set<TopicPartition>> assignment() {
        return Optional.ofNullable(assigned.get());
    }

    /** Commands being run or waiting for a worker right now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Serves commands until {@link #close}; Kafka or database outages are logged and retried. */
    @Override
    public void run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("an executor runs once");
        }
        try {
            if (!closing.get()) {
                consumer.subscribe(List.of(topics.refreshCommands().name()), new Rebalance());
                serve();
            }
        } catch (WakeupException | InterruptException e) {
            LOG.debug("woken up to close");
        } finally {
            release();
            stopped.countDown();
        }
    }

    private void serve() {
        int failures = 0;
        while (!closing.get()) {
            try {
                boolean busy = inFlight.get() > 0 || lanes.queued() > 0;
                consumer.poll(busy ? BUSY_POLL : pollTimeout).forEach(this::accept);
                collectFinished();
                if (!draining.get()) {
                    dispatch();
                }
                commit();
                applyPause();
                failures = 0;
            } catch (WakeupException | InterruptException e) {
                closing.set(true);
            } catch (FencedInstanceIdException e) {
                // Rejoining would fence the other process in turn, for ever.
                var reason =
                        "another live process uses instance-id '"
                                + instanceId
                                + "': the broker fenced this one (group.instance.id "
                                + instanceId
                                + KafkaClients.MEMBER_SUFFIX
                                + "). Give every instance its own instance-id.";
                LOG.error("Executor stopped: {}", reason);
                closing.set(true);
                onFatal.accept(reason);
            } catch (RuntimeException e) {
                // Kafka unreachable or misconfigured, or a bug: the loop must outlive both.
                Duration pause = backoff.delayBefore(++failures);
                LOG.warn("executor loop failed, resuming in {} ms", pause.toMillis(), e);
                sleep(pause);
            }
        }
    }

    private void accept(ConsumerRecord<String, byte[]> record) {
        var partition = new TopicPartition(record.topic(), record.partition());
        if (!offsets.started(partition, record.offset())) {
            return;
        }
        Decoded decoded;
        try {
            decoded = decoder.decode(record);
        } catch (RuntimeException e) {
            // Its offset is tracked already: it must end as something, or commits stall.
            LOG.error(
                    "command {}-{}@{} undecodable",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e);
            decoded = decoder.unreadable(record, "could not be decoded: " + e);
        }
        if (decoded instanceof Decoded.Accepted accepted) {
            lanes.add(new JobLanes.Work(accepted.job().name(), record, accepted));
        } else if (decoded instanceof Decoded.Rejected rejected) {
            inFlight.incrementAndGet();
            rejections.execute(() -> work.deadLetter(record, rejected));
        }
    }

    private void dispatch() {
        while (lanes.running() < maxConcurrent) {
            var next = lanes.take();
            if (next.isEmpty()) {
                return;
            }
            inFlight.incrementAndGet();
            workers.execute(() -> work.run(next.get()));
        }
    }

    private void collectFinished() {
        CommandWork.Finished done;
        while ((done = finished.poll()) != null) {
            inFlight.decrementAndGet();
            if (done.job() != null) {
                lanes.finished(done.job());
            }
            // Unpublished only when closing: left uncommitted, so redelivered.
            if (done.published()) {
                offsets.finished(done.partition(), done.offset());
            }
        }
    }

    private void commit() {
        var committable = offsets.committable();
        committable.keySet().retainAll(consumer.assignment());
        if (committable.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(committable);
            offsets.committed(committable);
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (CommitFailedException e) {
            LOG.warn("commit refused, the group moved on: {}", e.getMessage());
        } catch (KafkaException e) {
            // Tried again on the next loop; the offsets stay uncommitted meanwhile.
            LOG.warn("commit failed, retrying: {}", e.toString());
        }
    }

    private void applyPause() {
        if (draining.get() || lanes.queued() >= MAX_QUEUED) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            var paused = new HashSet<>(consumer.paused());
            paused.retainAll(consumer.assignment());
            consumer.resume(paused);
        }
    }

    /**
     * Stops gracefully: fetches and starts nothing more, lets the runs under way finish for up to
     * the shutdown timeout, then cancels those still running (each reported FAILED, its command
     * left uncommitted so that the partition's next owner runs it again), and closes the clients.
     */
    @Override
    public void close() {
        if (!started.get()) {
            closing.set(true);
            consumer.wakeup();
            release();
            return;
        }
        draining.set(true);
        if (!awaitIdle(shutdownTimeout)) {
            LOG.warn(
                    "shutting down: {} run(s) still under way after shutdown-timeout {} s;"
                            + " cancelling them (each is reported FAILED and run again by the"
                            + " next executor)",
                    inFlight.get(),
                    shutdownTimeout.toSeconds());
            runner.cancelRunning();
            if (!awaitIdle(CANCEL_GRACE)) {
                LOG.warn("runs still under way {} s after their cancel", CANCEL_GRACE.toSeconds());
            }
        }
        closing.set(true);
        consumer.wakeup();
        try {
            if (!stopped.await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("executor loop did not stop within {}", CLOSE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until no run is under way (the loop publishes and commits meanwhile). */
    private boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0 || !finished.isEmpty()) {
            if (stopped.getCount() == 0 || System.nanoTime() >= deadline) {
                return inFlight.get() == 0;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        // Uncommitted commands are redelivered, so runs cut short here are not lost.
        runner.cancelRunning();
        workers.shutdownNow();
        rejections.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
            rejections.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            // A static member stays in the group on close unless told; leave, as the topology
            // does (TopologyRunner#close): a graceful stop hands the partitions over now.
            consumer.close(
                    CloseOptions.groupMembershipOperation(
                                    CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                            .withTimeout(Duration.ofSeconds(5)));
        } catch (KafkaException e) {
            LOG.warn("consumer did not close cleanly: {}", e.toString());
        }
        output.close();
        if (ownsRunner) {
            runner.close();
        }
    }

    private void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing.set(true);
        }
    }

    /** Before partitions go: commit what is done, drop what waits; their new owner runs it. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            collectFinished();
            var committable = offsets.committable(partitions);
            if (!committable.isEmpty()) {
                try {
                    consumer.commitSync(committable);
                } catch (KafkaException e) {
                    LOG.warn("could not commit before giving up partitions: {}", e.toString());
                }
            }
            lanes.drop(partitions);
            offsets.forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            lanes.drop(partitions);
            offsets.forget(partitions);
            assigned.set(null);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned.set(Set.copyOf(consumer.assignment()));
        }
    }
}
