package io.starling.sim.report;

import java.util.List;
import java.util.SortedMap;

/**
 * Everything one mode's run produced.
 *
 * @param staleness how many training results had each staleness (versions behind)
 * @param wallMs wall-clock time the run took (not part of the deterministic outputs)
 * @param trainingRuns local trainings completed
 * @param samplesTrained examples processed by those trainings
 */
public record ModeResult(String mode, List<ResultRow> rows, SortedMap<Long, Long> staleness, long wallMs,
                         long events, long trainingRuns, long samplesTrained) {
    public ModeResult {
        rows = List.copyOf(rows);
    }

    public ResultRow last() {
        return rows.get(rows.size() - 1);
    }
}
