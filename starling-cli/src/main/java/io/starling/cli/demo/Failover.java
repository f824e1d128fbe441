package io.starling.cli.demo;

/**
 * One SIGKILL of the leader and what followed.
 *
 * @param killed the replica that led and was killed
 * @param pid its operating-system process id
 * @param atS seconds since the demo started, at the kill
 * @param versionAtKill the latest version it had committed
 * @param newLeader the replica elected after it
 * @param electedMs from the kill until a survivor reported itself leader
 * @param failoverMs from the kill until the new leader committed its first checkpoint
 * @param continuedFrom the version that first checkpoint extends (its parent)
 * @param restarted whether the killed replica was started again
 */
public record Failover(String killed, long pid, double atS, long versionAtKill, String newLeader, double electedMs,
                       double failoverMs, long continuedFrom, boolean restarted) {
    public Failover withRestarted() {
        return new Failover(killed, pid, atS, versionAtKill, newLeader, electedMs, failoverMs, continuedFrom, true);
    }
}
