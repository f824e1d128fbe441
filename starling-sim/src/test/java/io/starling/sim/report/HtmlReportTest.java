package io.starling.sim.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    private static ModeResult mode(String name, double slope) {
        List<ResultRow> rows = new java.util.ArrayList<>();
        for (int t = 0; t <= 10; t++) {
            rows.add(new ResultRow(name, t * 60.0, t, t, Math.min(0.95, 0.1 + slope * t), 2.0 - 0.1 * t, Double.NaN,
                    1000L * t, 3000L * t, 5.0 * t, 10, 100L * t));
        }
        TreeMap<Long, Long> staleness = new TreeMap<>();
        staleness.put(0L, 5L);
        staleness.put(3L, 2L);
        return new ModeResult(name, rows, staleness, 10, 1000, 50, 500);
    }

    private final List<ModeResult> modes = List.of(mode("sync", 0.05), mode("gossip <fast>", 0.09));
    private final String html = HtmlReport.render("outage", modes, ModeSummary.of(modes, 0.5));

    @Test
    void drawsAccuracyAgainstTimeBytesAndEnergyAndTheStalenessHistogram() {
        assertThat(html).contains("Accuracy vs virtual time", "Accuracy vs bytes", "Accuracy vs energy",
                "Staleness of local updates");
        assertThat(Pattern.compile("<svg").matcher(html).results().count()).isGreaterThanOrEqualTo(4);
        assertThat(html).contains("<polyline").contains("<rect class=\"bar\"");
    }

    @Test
    void showsEveryModeSideBySideWithEscapedNames() {
        assertThat(html).contains(">sync<").contains("gossip &lt;fast&gt;").doesNotContain("gossip <fast>");
    }

    @Test
    void referencesNothingOutsideTheFile() {
        assertThat(html).doesNotContainPattern("(?i)https?://").doesNotContainPattern("(?i)<script")
                .doesNotContainPattern("(?i)<link").doesNotContainPattern("(?i)src=").doesNotContainPattern("(?i)url\\(");
    }

    @Test
    void summaryTableGivesTimeToTargetOrSaysNotReached() {
        // sync reaches 0.5 at t = 8 min, gossip at t = 5 min
        assertThat(html).contains("<td>480.00</td>".replace("480.00", "480")).contains("<td>300</td>");
        List<ModeResult> slow = List.of(mode("slow", 0.01));
        assertThat(HtmlReport.render("x", slow, ModeSummary.of(slow, 0.5))).contains("not reached");
    }
}
