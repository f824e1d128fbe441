package io.starling.cli.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a demo run: what {@code --json} prints and {@code summary.json} holds.
 *
 * @param settings what was run
 * @param leaderChanges how often consecutive committed checkpoints have different proposers
 * @param leaders proposers of the committed chain in order, consecutive repeats collapsed
 * @param failovers one entry per kill
 * @param finalAccuracy test accuracy of the last committed model
 * @param finalLoss its test loss
 * @param finalVersion the last committed version
 * @param versions committed checkpoints in the chain, genesis included
 * @param acknowledgedUpdates updates some client saw acknowledged
 * @param lostAcknowledgedUpdates acknowledged updates missing from the committed chain (must be 0)
 * @param replicasAgree whether every running replica ended with the same chain
 * @param historyViolations what the Jepsen-style history checker found (empty = valid)
 * @param outage the every-replica outage and its gossip fallback, or null when the run had none
 * @param wallS wall-clock seconds of the whole run
 * @param loadAverage the machine's one-minute load average at the end (failover times stretch on a
 *     busy machine; this says how busy it was)
 * @param out the report folder
 */
public record DemoSummary(DemoSettings settings, int leaderChanges, List<String> leaders, List<Failover> failovers,
                          double finalAccuracy, double finalLoss, long finalVersion, int versions,
                          int acknowledgedUpdates, int lostAcknowledgedUpdates, boolean replicasAgree,
                          List<String> historyViolations, Outage outage, double wallS, double loadAverage, Path out) {
    public DemoSummary {
        leaders = List.copyOf(leaders);
        failovers = List.copyOf(failovers);
        historyViolations = List.copyOf(historyViolations);
    }

    /** The failover time of each kill, in kill order. */
    public List<Double> failoverMs() {
        return failovers.stream().map(Failover::failoverMs).toList();
    }

    /** The summary as an ordered JSON-ready map with snake_case keys. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("replicas", settings.replicas());
        m.put("clients", settings.clients());
        m.put("model", settings.model());
        m.put("partition", settings.partition());
        m.put("seed", settings.seed());
        m.put("duration_s", settings.durationS());
        m.put("kills", settings.kills());
        m.put("outage_s", settings.outageS());
        m.put("leader_changes", leaderChanges);
        m.put("leaders", leaders);
        m.put("failover_ms", failoverMs().stream().map(DemoSummary::round1).toList());
        List<Map<String, Object>> fs = new ArrayList<>();
        for (Failover f : failovers) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("killed", f.killed());
            e.put("pid", f.pid());
            e.put("at_s", round1(f.atS()));
            e.put("version_at_kill", f.versionAtKill());
            e.put("new_leader", f.newLeader());
            e.put("elected_ms", round1(f.electedMs()));
            e.put("failover_ms", round1(f.failoverMs()));
            e.put("continued_from_version", f.continuedFrom());
            e.put("restarted", f.restarted());
            fs.add(e);
        }
        m.put("failovers", fs);
        m.put("final_accuracy", Math.round(finalAccuracy * 10_000) / 10_000.0);
        m.put("final_loss", Math.round(finalLoss * 10_000) / 10_000.0);
        m.put("final_version", finalVersion);
        m.put("versions", versions);
        m.put("acknowledged_updates", acknowledgedUpdates);
        m.put("lost_acknowledged_updates", lostAcknowledgedUpdates);
        m.put("replicas_agree", replicasAgree);
        m.put("history_ok", historyViolations.isEmpty());
        m.put("history_violations", historyViolations);
        m.put("outage", outage == null ? null : outage.toJson(java.util.stream.IntStream.range(0, settings.clients())
                .mapToObj(c -> "c" + c).toList()));
        m.put("wall_s", round1(wallS));
        m.put("load_average", round1(loadAverage));
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("out", out.toString());
        return m;
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
