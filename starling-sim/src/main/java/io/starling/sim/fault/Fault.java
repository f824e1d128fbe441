package io.starling.sim.fault;

import io.starling.protocol.NodeId;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** One thing that goes wrong during a simulated run. Times are virtual milliseconds. */
public sealed interface Fault {
    /** Every aggregator node is down in {@code [fromMs, toMs)}, keeping its state (a restart). */
    record AggregatorOutage(long fromMs, long toMs) implements Fault {
        public AggregatorOutage {
            requireWindow(fromMs, toMs);
        }
    }

    /**
     * {@code node} crashes at {@code atMs} and, if {@code recoverAtMs >= 0}, recovers then.
     * With {@code keepState} it restarts with its memory intact (a process restart with durable
     * state); without, its protocol state is rebuilt from scratch (a wiped device).
     */
    record NodeCrash(NodeId node, long atMs, long recoverAtMs, boolean keepState) implements Fault {
        public NodeCrash {
            Objects.requireNonNull(node, "node");
            if (atMs < 0) {
                throw new IllegalArgumentException("crash time must be >= 0 ms, got " + atMs);
            }
            if (recoverAtMs >= 0 && recoverAtMs <= atMs) {
                throw new IllegalArgumentException("recovery at " + recoverAtMs
                        + " ms must come after the crash at " + atMs + " ms (or be -1 for never)");
            }
        }
    }

    /**
     * In {@code [fromMs, toMs)} the nodes are split into {@code groups}; messages between nodes of
     * different groups fail. Nodes listed in no group form one more group together.
     */
    record Partition(long fromMs, long toMs, List<Set<NodeId>> groups) implements Fault {
        public Partition {
            requireWindow(fromMs, toMs);
            groups = List.copyOf(groups.stream().map(Set::copyOf).toList());
            if (groups.isEmpty()) {
                throw new IllegalArgumentException("a partition needs at least one group");
            }
        }
    }

    /** In {@code [fromMs, toMs)} each message is lost independently with probability {@code rate}. */
    record MessageLoss(double rate, long fromMs, long toMs) implements Fault {
        public MessageLoss {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("loss rate must be in [0, 1], got " + rate);
            }
            requireWindow(fromMs, toMs);
        }
    }

    private static void requireWindow(long fromMs, long toMs) {
        if (fromMs < 0 || toMs <= fromMs) {
            throw new IllegalArgumentException("window [" + fromMs + ", " + toMs
                    + ") ms must satisfy 0 <= from < to");
        }
    }
}
