package io.refreshorchestrator.executor;

import io.refreshorchestrator.events.ChangeSummary;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshCommand;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A model of one source table, views built on it and on each other, PostgreSQL's snapshots, the
 * topology's cascade and the executor, in which a test chooses the order of every step. What each
 * view holds is modelled exactly: a run of a view over the table holds the commits its snapshot
 * saw; a run of a view over other views holds, of each upstream view, what the latest refresh of it
 * that its snapshot saw held. Whether a command is skipped is decided by the executor's own {@link
 * LastRun#covers}, on the command the topology would send.
 */
final class CascadeWorld {

    private static final Instant EPOCH = Instant.parse("2026-11-22T16:43:58Z");
    private static final String TABLE = "public.t";

    /** A committed source change: its transaction and commit time. */
    record Commit(long xid, Instant at) {}

    /** A committed refresh: how the ledger records it, its transaction, what it holds. */
    record Run(LastRun ledger, long xid, Set<Long> holds, Instant firstChangeAt) {}

    /** What a job has not yet turned into a command: source commits or upstream refreshes. */
    private record Pending(String upstream, long txId, Instant at) {}

    private final class Job {
        final String name;
        final List<String> upstream;
        final List<Pending> pending = new ArrayList<>();
        final Deque<RefreshCommand> queue = new ArrayDeque<>();
        final List<Run> runs = new ArrayList<>();
        LastRun running;
        Set<Long> runningHolds;
        Instant runningFirstChange;
        long runningXid;

        Job(String name, List<String> upstream) {
            this.name = name;
            this.upstream = upstream;
        }

        LastRun lastSuccess() {
            return runs.isEmpty() ? null : runs.get(runs.size() - 1).ledger();
        }
    }

    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final List<Commit> commits = new ArrayList<>();
    private final Set<Long> inProgress = new TreeSet<>();
    private final List<Long> openSource = new ArrayList<>();
    private final List<Long> announced = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private long nextXid = 1000;
    private long millis;
    private long commandCount;

    /** Jobs in dependency order: each maps to the jobs it reads; none means it reads the table. */
    CascadeWorld(Map<String, List<String>> graph) {
        graph.forEach((job, upstream) -> jobs.put(job, new Job(job, upstream)));
    }

    List<String> jobNames() {
        return List.copyOf(jobs.keySet());
    }

    /** A transaction on the source table begins. */
    void beginSource() {
        long xid = nextXid++;
        inProgress.add(xid);
        openSource.add(xid);
        log.add("begin source " + xid);
    }

    /**
     * One open source transaction commits: logical decoding announces it (the jobs on the table get
     * the change) a moment before other sessions see it ({@link #showSource}).
     */
    void commitSource(int choice) {
        if (openSource.isEmpty()) {
            return;
        }
        long xid = openSource.remove(Math.floorMod(choice, openSource.size()));
        Instant at = tick();
        commits.add(new Commit(xid, at));
        announced.add(xid);
        for (Job job : jobs.values()) {
            if (job.upstream.isEmpty()) {
                job.pending.add(new Pending(TABLE, xid, at));
            }
        }
        log.add("commit source " + xid + " at " + at);
    }

    /**
     * The earliest announced commit becomes visible to new snapshots. In commit order: the executor
     * waits only for a command's last transaction to be visible, which is enough only when the
     * earlier ones are visible by then (a limit of the source-change rule, not of cascades, which
     * this model is about).
     */
    void showSource() {
        if (announced.isEmpty()) {
            return;
        }
        long xid = announced.remove(0);
        inProgress.remove(xid);
        log.add("source " + xid + " visible");
    }

    /** The debounce of a job fires: its pending changes become one command. */
    void fire(String name) {
        Job job = jobs.get(name);
        if (job.pending.isEmpty()) {
            return;
        }
        var tables = new TreeSet<String>();
        var upstreamTxIds = new TreeMap<String, Long>();
        Pending lastSource = null;
        for (Pending change : job.pending) {
            tables.add(change.upstream());
            if (!change.upstream().equals(TABLE)) {
                upstreamTxIds.merge(change.upstream(), change.txId(), Math::max);
            } else if (lastSource == null || !change.at().isBefore(lastSource.at())) {
                lastSource = change; // the latest commit, as the latest LSN
            }
        }
        var times = job.pending.stream().map(Pending::at).toList();
        boolean cascade = lastSource == null;
        var changes =
                new ChangeSummary(
                        job.pending.size(),
                        List.copyOf(tables),
                        times.stream().min(Comparator.naturalOrder()).orElseThrow(),
                        times.stream().max(Comparator.naturalOrder()).orElseThrow(),
                        cascade ? null : lastSource.txId(),
                        null,
                        upstreamTxIds);
        job.pending.clear();
        enqueue(job, cascade ? Reason.CASCADE : Reason.DATA_CHANGE, changes);
    }

    /** Someone publishes a manual refresh of a job. */
    void manual(String name) {
        enqueue(jobs.get(name), Reason.MANUAL, ChangeSummary.none());
    }

    /**
     * The executor takes the job's next command, when no run of the job is in progress: skipped if
     * the last run covers it, else (once the visibility gate passes) a run begins.
     */
    void start(String name) {
        Job job = jobs.get(name);
        if (job.running != null || job.queue.isEmpty()) {
            return;
        }
        RefreshCommand command = job.queue.peek();
        LastRun last = job.lastSuccess();
        if (last != null && last.covers(command)) {
            job.queue.poll();
            log.add(name + " SKIPPED " + describe(command) + ": " + last.coverDetail(command));
            return;
        }
        if (!gatePassed(command)) {
            return;
        }
        job.queue.poll();
        var snapshot = snapshot();
        Instant startedAt = tick();
        job.running = new LastRun(command.id(), startedAt, snapshot);
        job.runningXid = nextXid++;
        inProgress.add(job.runningXid);
        job.runningHolds = holds(job, snapshot);
        job.runningFirstChange = command.changes().firstChangeAt();
        log.add(name + " starts " + describe(command) + " as " + job.runningXid + " " + snapshot);
    }

    /** The job's run in progress commits; its result cascades to the jobs built on it. */
    void commit(String name) {
        Job job = jobs.get(name);
        if (job.running == null) {
            return;
        }
        inProgress.remove(job.runningXid);
        Instant finishedAt = tick();
        job.runs.add(
                new Run(job.running, job.runningXid, job.runningHolds, job.runningFirstChange));
        log.add(name + " commits " + job.runningXid + " holding " + job.runningHolds);
        for (Job below : jobs.values()) {
            if (below.upstream.contains(name)) {
                Instant changeAt =
                        job.runningFirstChange != null ? job.runningFirstChange : finishedAt;
                below.pending.add(new Pending(name, job.runningXid, changeAt));
            }
        }
        job.running = null;
    }

    /** Every open transaction commits and every job works off what it has, to the end. */
    void drain() {
        while (!openSource.isEmpty()) {
            commitSource(0);
        }
        while (!announced.isEmpty()) {
            showSource();
        }
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Job job : jobs.values()) {
                int before = log.size();
                if (job.running != null) {
                    commit(job.name);
                } else if (!job.queue.isEmpty()) {
                    start(job.name);
                } else {
                    fire(job.name);
                }
                moved |= log.size() != before;
            }
        }
    }

    List<Commit> commits() {
        return List.copyOf(commits);
    }

    List<Run> runs(String name) {
        return List.copyOf(jobs.get(name).runs);
    }

    List<String> log() {
        return List.copyOf(log);
    }

    /** What a run of {@code job} with this snapshot reads. */
    private Set<Long> holds(Job job, PgSnapshot snapshot) {
        if (job.upstream.isEmpty()) {
            Set<Long> seen = new HashSet<>();
            for (Commit commit : commits) {
                if (sees(snapshot, commit.xid())) {
                    seen.add(commit.xid());
                }
            }
            return seen;
        }
        Set<Long> holds = null;
        for (String upstream : job.upstream) {
            Set<Long> read = Set.of(); // the view as it was before any refresh
            for (Run run : jobs.get(upstream).runs) {
                if (sees(snapshot, run.xid())) {
                    read = run.holds();
                }
            }
            if (holds == null) {
                holds = new HashSet<>(read);
            } else {
                holds.retainAll(read);
            }
        }
        return holds;
    }

    /** The executor's visibility gate: every transaction the command carries is visible. */
    private boolean gatePassed(RefreshCommand command) {
        var changes = command.changes();
        if (changes.lastTxId() != null && inProgress.contains(changes.lastTxId())) {
            return false;
        }
        return changes.upstreamTxIds().values().stream().noneMatch(inProgress::contains);
    }

    /** PostgreSQL's rule: committed before the snapshot was taken, i.e. not running then. */
    private static boolean sees(PgSnapshot snapshot, long xid) {
        return xid < snapshot.xmax() && !snapshot.inProgress().contains(xid);
    }

    private PgSnapshot snapshot() {
        long xmin = inProgress.isEmpty() ? nextXid : inProgress.iterator().next();
        return new PgSnapshot(xmin, nextXid, inProgress);
    }

    private void enqueue(Job job, Reason reason, ChangeSummary changes) {
        Instant at = tick();
        var command =
                RefreshCommand.of(
                        new UUID(0, ++commandCount), job.name, reason, at, "test", changes);
        job.queue.add(command);
        log.add(job.name + " commanded " + describe(command));
    }

    private static String describe(RefreshCommand command) {
        var changes = command.changes();
        return command.reason()
                + "#"
                + command.id().getLeastSignificantBits()
                + (changes.lastChangeAt() == null
                        ? ""
                        : " (last change " + changes.lastChangeAt() + ", tx " + changes.lastTxId())
                + (changes.upstreamTxIds().isEmpty() ? "" : ", upstream " + changes.upstreamTxIds())
                + (changes.lastChangeAt() == null ? "" : ")");
    }

    private Instant tick() {
        return EPOCH.plusMillis(++millis);
    }
}
