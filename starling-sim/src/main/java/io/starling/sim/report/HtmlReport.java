package io.starling.sim.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The one-page report: summary table and inline SVG plots (accuracy against virtual time, bytes
 * and energy, recent-window accuracy when data streams in, and the staleness histogram), all
 * modes side by side. Self-contained: it references nothing outside the file.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    public static String render(String title, List<ModeResult> modes, List<ModeSummary> summaries) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(SvgChart.esc(title)).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}")
                .append("td:first-child{text-align:left}.plots{display:flex;flex-wrap:wrap;gap:12px}")
                .append(".plots figure{margin:0}\n</style>\n</head>\n<body>\n");
        sb.append("<h1>").append(SvgChart.esc(title)).append("</h1>\n");
        summaryTable(sb, summaries);
        sb.append("<div class=\"plots\">\n");
        figure(sb, SvgChart.lines("Accuracy vs virtual time", "virtual time (s)", "test accuracy",
                series(modes, ResultRow::virtualTimeS, ResultRow::testAccuracy)));
        figure(sb, SvgChart.lines("Accuracy vs bytes", "bytes sent + received by devices (MB)", "test accuracy",
                series(modes, r -> (r.bytesUp() + r.bytesDown()) / 1e6, ResultRow::testAccuracy)));
        figure(sb, SvgChart.lines("Accuracy vs energy", "device energy (kJ)", "test accuracy",
                series(modes, r -> r.energyJ() / 1e3, ResultRow::testAccuracy)));
        boolean window = modes.stream().flatMap(m -> m.rows().stream()).anyMatch(r -> !Double.isNaN(r.windowAccuracy()));
        if (window) {
            figure(sb, SvgChart.lines("Accuracy on recently arrived data", "virtual time (s)", "window accuracy",
                    series(modes, ResultRow::virtualTimeS, ResultRow::windowAccuracy)));
        }
        figure(sb, SvgChart.lines("Active devices", "virtual time (s)", "devices online",
                series(modes, ResultRow::virtualTimeS, r -> r.activeDevices())));
        figure(sb, stalenessChart(modes));
        sb.append("</div>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static void summaryTable(StringBuilder sb, List<ModeSummary> summaries) {
        if (summaries.isEmpty()) {
            return;
        }
        sb.append("<table>\n<tr><th>mode</th><th>time to ").append(pct(summaries.get(0).targetAccuracy()))
                .append(" (s)</th><th>MB to target</th><th>energy to target (kJ)</th><th>final accuracy</th>")
                .append("<th>best accuracy</th><th>final version</th><th>MB total</th><th>energy total (kJ)</th>")
                .append("<th>mean staleness</th><th>events</th></tr>\n");
        for (ModeSummary s : summaries) {
            sb.append("<tr><td>").append(SvgChart.esc(s.mode())).append("</td><td>")
                    .append(s.timeToTargetS() == null ? "not reached" : num(s.timeToTargetS())).append("</td><td>")
                    .append(s.bytesToTarget() == null ? "&ndash;" : num(s.bytesToTarget() / 1e6)).append("</td><td>")
                    .append(s.energyToTargetJ() == null ? "&ndash;" : num(s.energyToTargetJ() / 1e3)).append("</td><td>")
                    .append(pct(s.finalAccuracy())).append("</td><td>").append(pct(s.bestAccuracy())).append("</td><td>")
                    .append(s.finalVersion()).append("</td><td>").append(num(s.bytesTotal() / 1e6)).append("</td><td>")
                    .append(num(s.energyTotalJ() / 1e3)).append("</td><td>").append(num(s.meanStaleness()))
                    .append("</td><td>").append(s.events()).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private static String stalenessChart(List<ModeResult> modes) {
        TreeSet<Long> keys = new TreeSet<>();
        modes.forEach(m -> keys.addAll(m.staleness().keySet()));
        List<Long> cats = new ArrayList<>(keys);
        double[][] values = new double[modes.size()][cats.size()];
        for (int k = 0; k < modes.size(); k++) {
            long total = modes.get(k).staleness().values().stream().mapToLong(Long::longValue).sum();
            for (int g = 0; g < cats.size(); g++) {
                Long n = modes.get(k).staleness().get(cats.get(g));
                values[k][g] = total == 0 || n == null ? 0 : (double) n / total;
            }
        }
        return SvgChart.bars("Staleness of local updates", "versions behind", "share of updates",
                cats.stream().map(c -> c >= 64 ? "64+" : String.valueOf(c)).toList(),
                modes.stream().map(ModeResult::mode).toList(), values);
    }

    private static List<SvgChart.Series> series(List<ModeResult> modes, ToDoubleFunction<ResultRow> x,
                                                ToDoubleFunction<ResultRow> y) {
        List<SvgChart.Series> out = new ArrayList<>();
        for (ModeResult m : modes) {
            out.add(new SvgChart.Series(m.mode(), m.rows().stream().mapToDouble(x).toArray(),
                    m.rows().stream().mapToDouble(y).toArray()));
        }
        return out;
    }

    private static void figure(StringBuilder sb, String svg) {
        sb.append("<figure>\n").append(svg).append("</figure>\n");
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
    }
}
