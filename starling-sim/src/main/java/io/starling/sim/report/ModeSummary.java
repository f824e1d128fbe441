package io.starling.sim.report;

import java.util.List;
import java.util.Map;

/**
 * The headline numbers of one mode: what it cost to first reach the target accuracy (null when it
 * never did) and where it ended.
 */
public record ModeSummary(String mode, double targetAccuracy, Double timeToTargetS, Long bytesToTarget,
                          Double energyToTargetJ, double finalAccuracy, double bestAccuracy, long finalVersion,
                          long bytesTotal, double energyTotalJ, long events, long wallMs, double meanStaleness,
                          Map<Long, Long> stalenessHistogram) {

    public static ModeSummary of(ModeResult m, double target) {
        Double time = null;
        Long bytes = null;
        Double energy = null;
        double best = 0;
        for (ResultRow r : m.rows()) {
            best = Math.max(best, r.testAccuracy());
            if (time == null && r.testAccuracy() >= target) {
                time = r.virtualTimeS();
                bytes = r.bytesUp() + r.bytesDown();
                energy = r.energyJ();
            }
        }
        ResultRow last = m.last();
        long n = 0;
        double sum = 0;
        for (Map.Entry<Long, Long> e : m.staleness().entrySet()) {
            n += e.getValue();
            sum += (double) e.getKey() * e.getValue();
        }
        return new ModeSummary(m.mode(), target, time, bytes, energy, last.testAccuracy(), best, last.version(),
                last.bytesUp() + last.bytesDown(), last.energyJ(), m.events(), m.wallMs(), n == 0 ? 0 : sum / n,
                m.staleness());
    }

    public static List<ModeSummary> of(List<ModeResult> modes, double target) {
        return modes.stream().map(m -> of(m, target)).toList();
    }
}
