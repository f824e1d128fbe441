package io.starling.core.federated;

import java.util.List;
import java.util.Optional;

/** Every evaluation of a federated run, in order, with the questions experiments ask of it. */
public record FederatedHistory(List<RoundReport> reports) {
    public FederatedHistory {
        reports = List.copyOf(reports);
    }

    /** The first evaluation at which test accuracy reached {@code accuracy}, if any. */
    public Optional<RoundReport> firstReaching(double accuracy) {
        return reports.stream().filter(r -> r.testAccuracy() >= accuracy).findFirst();
    }

    public double bestAccuracy() {
        return reports.stream().mapToDouble(RoundReport::testAccuracy).max().orElse(Double.NaN);
    }

    public RoundReport last() {
        if (reports.isEmpty()) {
            throw new IllegalStateException("the run recorded no evaluations");
        }
        return reports.get(reports.size() - 1);
    }
}
