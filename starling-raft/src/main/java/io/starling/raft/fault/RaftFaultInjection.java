package io.starling.raft.fault;

import io.starling.net.fault.FaultInjector;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.util.CodeInjectionForTesting;

/**
 * <b>For fault testing.</b> Drops or delays Raft traffic between chosen replicas, switchable at
 * run time through the rules of a {@code starling-net} {@link FaultInjector} (the same switchboard
 * that faults Starling's own gRPC calls).
 *
 * <p>Why this hook. Ratis ships its own shaded gRPC, so {@code starling-net}'s interceptors never
 * see Raft traffic; a TCP proxy per link does not work either, because the leader replicates the
 * group configuration, peer addresses included, to every follower, so a replica cannot be given
 * its own proxied address for a peer. Ratis instead calls {@link CodeInjectionForTesting} (part of
 * its main jars) at the top of every inbound server request with the receiving and the sending
 * peer id; Ratis' own tests block traffic at the same {@link Point}s.
 *
 * <p>Semantics. A message from A to B is handled at B. A drop rule A&nbsp;&rarr;&nbsp;B makes B
 * fail the request before Raft looks at it ({@link LinkCutException}): the sender sees a transport
 * error and retries later, as after a reset connection. A delay rule holds B's handler thread for
 * {@code delayMs} first, and with it the stream behind that message, as a slow link would. Replies
 * travel on the request's own stream and are not faulted separately, so a replica is isolated by
 * cutting both directions ({@link FaultInjector#partition}, {@link FaultInjector#isolate}).
 * Duplicate rules do not apply to Raft traffic.
 *
 * <p>Scope. {@link CodeInjectionForTesting} is one registry per JVM, so at most one instance is
 * installed at a time; it covers every replica in the JVM, each known by its peer id. A replica in
 * its own process installs its own. With no rules, each request costs one volatile read.
 */
public final class RaftFaultInjection implements AutoCloseable {
    /** The inbound requests of Ratis' {@code RaftServerImpl} that can be faulted, under Ratis' own names. */
    public enum Point {
        REQUEST_VOTE("RaftServerImpl.requestVote", "vote request"),
        APPEND_ENTRIES("RaftServerImpl.appendEntries", "append-entries request"),
        INSTALL_SNAPSHOT("RaftServerImpl.installSnapshot", "install-snapshot request"),
        START_LEADER_ELECTION("RaftServerImpl.startLeaderElection", "leadership-transfer request");

        private final String ratisName;
        private final String what;

        Point(String ratisName, String what) {
            this.ratisName = ratisName;
            this.what = what;
        }

        /** The key Ratis passes to {@link CodeInjectionForTesting#execute}. */
        public String ratisName() {
            return ratisName;
        }
    }

    /** Guards install and close, so a closing instance never removes its successor's hooks. */
    private static final Object REGISTRY_LOCK = new Object();
    private static final AtomicReference<RaftFaultInjection> INSTALLED = new AtomicReference<>();

    private final FaultInjector faults;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong delayed = new AtomicLong();

    private RaftFaultInjection(FaultInjector faults) {
        this.faults = faults;
    }

    /**
     * Starts applying {@code faults} to the Raft traffic of every replica in this JVM, until
     * {@link #close}.
     *
     * @throws IllegalStateException if another instance is installed (close it first)
     */
    public static RaftFaultInjection install(FaultInjector faults) {
        RaftFaultInjection injection = new RaftFaultInjection(Objects.requireNonNull(faults, "faults"));
        synchronized (REGISTRY_LOCK) {
            if (INSTALLED.get() != null) {
                throw new IllegalStateException("a RaftFaultInjection is already installed in this JVM;"
                        + " close it before installing another (Ratis has one injection registry per JVM)");
            }
            for (Point p : Point.values()) {
                CodeInjectionForTesting.put(p.ratisName(), (localId, remoteId, args) -> injection.onInbound(p, localId, remoteId));
            }
            INSTALLED.set(injection);
        }
        return injection;
    }

    /**
     * Decides the fate of one inbound request: returns normally to let it through (after a delay
     * if a rule says so), or throws {@link LinkCutException} to drop it.
     *
     * @return true if a fault was applied
     */
    private boolean onInbound(Point point, Object localId, Object remoteId) {
        if (localId == null || remoteId == null) {
            return false;
        }
        String to = localId.toString();
        String from = remoteId.toString();
        FaultInjector.Decision d = faults.decide(from, to);
        if (d.drop()) {
            dropped.incrementAndGet();
            throw new LinkCutException(from, to, point.what);
        }
        if (d.delayMs() > 0) {
            delayed.incrementAndGet();
            try {
                Thread.sleep(d.delayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        }
        return false;
    }

    /** Raft requests dropped so far by this instance. */
    public long droppedRequests() {
        return dropped.get();
    }

    /** Raft requests delayed so far by this instance. */
    public long delayedRequests() {
        return delayed.get();
    }

    /**
     * True while any instance is installed in this JVM. Tests that install one check this after
     * closing it, so a hook that outlived its test (and would fault the Raft traffic of the next
     * test's replicas) fails the test that leaked it.
     */
    public static boolean isAnyInstalled() {
        return INSTALLED.get() != null;
    }

    /** True while this instance is the one Ratis calls. */
    public boolean isInstalled() {
        return INSTALLED.get() == this;
    }

    /** Stops faulting Raft traffic (requests held by a delay finish their sleep); idempotent. */
    @Override
    public void close() {
        synchronized (REGISTRY_LOCK) {
            if (INSTALLED.get() == this) {
                for (Point p : Point.values()) {
                    CodeInjectionForTesting.remove(p.ratisName());
                }
                INSTALLED.set(null);
            }
        }
    }
}
