package io.starling.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.starling.sim.report.SvgChart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the demo's report folder: {@code accuracy.csv} (the committed model's accuracy over
 * time), {@code gossip.csv} (each gossiping client's model accuracy during the outage),
 * {@code events.csv} (what was narrated), {@code summary.json} (what {@code --json} prints) and a
 * self-contained {@code report.html} with the accuracy plot (kills and the outage drawn as
 * vertical lines, the gossip models' mean and best accuracy as their own lines), drawn with the
 * simulator's {@link SvgChart}. Files are written to a temporary name and moved into place.
 */
public final class DemoReport {
    public static final String ACCURACY_CSV = "accuracy.csv";
    public static final String EVENTS_CSV = "events.csv";
    public static final String GOSSIP_CSV = "gossip.csv";
    public static final String SUMMARY_JSON = "summary.json";
    public static final String REPORT_HTML = "report.html";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DemoReport() {
    }

    /**
     * @param gossip the probe's gossip evaluations, one list per probe round (each non-empty)
     * @param atSwitch gossip models evaluated as their clients switched to gossip
     */
    public static void write(Path dir, DemoSummary summary, List<AccuracySample> samples,
                             List<List<GossipSample>> gossip, List<GossipSample> atSwitch, List<DemoEvent> events) {
        try {
            Files.createDirectories(dir);
            writeAtomically(dir.resolve(ACCURACY_CSV), accuracyCsv(samples));
            writeAtomically(dir.resolve(GOSSIP_CSV), gossipCsv(gossip, atSwitch));
            writeAtomically(dir.resolve(EVENTS_CSV), eventsCsv(events));
            writeAtomically(dir.resolve(SUMMARY_JSON), JSON.writeValueAsString(summary.toJson()) + "\n");
            writeAtomically(dir.resolve(REPORT_HTML), html(summary, samples, gossip, events));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo report to " + dir + ": " + e.getMessage(), e);
        }
    }

    static String accuracyCsv(List<AccuracySample> samples) {
        StringBuilder sb = new StringBuilder("time_s,version,leader,test_accuracy,test_loss\n");
        for (AccuracySample s : samples) {
            sb.append(String.format(Locale.ROOT, "%.2f,%d,%s,%.4f,%.4f%n", s.atS(), s.version(), s.proposer(),
                    s.accuracy(), s.loss()));
        }
        return sb.toString();
    }

    static String gossipCsv(List<List<GossipSample>> gossip, List<GossipSample> atSwitch) {
        List<GossipSample> all = new ArrayList<>(atSwitch);
        gossip.forEach(all::addAll);
        all.sort(java.util.Comparator.comparingDouble(GossipSample::atS));
        StringBuilder sb = new StringBuilder("time_s,client,gossip_test_accuracy\n");
        for (GossipSample g : all) {
            sb.append(String.format(Locale.ROOT, "%.2f,%s,%.4f%n", g.atS(), g.clientId(), g.accuracy()));
        }
        return sb.toString();
    }

    static String eventsCsv(List<DemoEvent> events) {
        StringBuilder sb = new StringBuilder("time_s,kind,detail\n");
        for (DemoEvent e : events) {
            sb.append(String.format(Locale.ROOT, "%.2f,%s,\"%s\"%n", e.atS(), e.kind(), e.detail().replace("\"", "\"\"")));
        }
        return sb.toString();
    }

    static String html(DemoSummary s, List<AccuracySample> samples, List<List<GossipSample>> gossip,
                       List<DemoEvent> events) {
        double[] t = samples.stream().mapToDouble(AccuracySample::atS).toArray();
        List<SvgChart.Series> acc = new ArrayList<>();
        acc.add(new SvgChart.Series("test accuracy", t, samples.stream().mapToDouble(AccuracySample::accuracy).toArray()));
        List<SvgChart.Series> ver = new ArrayList<>();
        ver.add(new SvgChart.Series("committed version", t,
                samples.stream().mapToDouble(AccuracySample::version).toArray()));
        double maxVersion = samples.stream().mapToDouble(AccuracySample::version).max().orElse(1);
        if (!gossip.isEmpty()) {
            double[] gt = gossip.stream().mapToDouble(r -> r.getFirst().atS()).toArray();
            acc.add(new SvgChart.Series("gossip models, mean", gt, gossip.stream()
                    .mapToDouble(r -> r.stream().mapToDouble(GossipSample::accuracy).average().orElseThrow()).toArray()));
            acc.add(new SvgChart.Series("gossip models, best", gt, gossip.stream()
                    .mapToDouble(r -> r.stream().mapToDouble(GossipSample::accuracy).max().orElseThrow()).toArray()));
        }
        if (s.outage() != null) {
            double start = s.outage().atS();
            double end = start + s.outage().downS();
            acc.add(new SvgChart.Series("every replica down", new double[] {start, start}, new double[] {0, 1}));
            acc.add(new SvgChart.Series("leader again", new double[] {end, end}, new double[] {0, 1}));
            ver.add(new SvgChart.Series("every replica down", new double[] {start, start}, new double[] {0, maxVersion}));
            ver.add(new SvgChart.Series("leader again", new double[] {end, end}, new double[] {0, maxVersion}));
        }
        for (Failover f : s.failovers()) {
            String name = "kill " + f.killed();
            acc.add(new SvgChart.Series(name, new double[] {f.atS(), f.atS()}, new double[] {0, 1}));
            ver.add(new SvgChart.Series(name, new double[] {f.atS(), f.atS()}, new double[] {0, maxVersion}));
        }
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>starling demo</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}th{background:#f4f4f4}")
                .append(".plots{display:flex;flex-wrap:wrap;gap:12px}.plots figure{margin:0}\n")
                .append("</style>\n</head>\n<body>\n<h1>starling demo: the aggregator is not a single point of failure</h1>\n");
        sb.append("<p>").append(s.settings().replicas()).append(" aggregator replicas (separate JVMs, Apache Ratis over gRPC on ")
                .append("127.0.0.1) and ").append(s.settings().clients()).append(" clients (")
                .append(SvgChart.esc(s.settings().partition())).append(" partitions of mnist10k, model ")
                .append(SvgChart.esc(s.settings().model())).append("). The leader was killed with SIGKILL ")
                .append(s.failovers().size()).append(" time(s)")
                .append(s.outage() == null ? "" : "; then every replica was SIGKILLed for " + s.outage().configuredS()
                        + " s while the clients learned by gossip with each other")
                .append(".</p>\n<table>\n");
        row(sb, "final test accuracy", String.format(Locale.ROOT, "%.4f", s.finalAccuracy()));
        row(sb, "final version", Long.toString(s.finalVersion()));
        row(sb, "leader changes", Integer.toString(s.leaderChanges()));
        row(sb, "leaders in order", String.join(" &rarr; ", s.leaders()));
        row(sb, "failover (kill to first commit by the new leader)", s.failoverMs().stream()
                .map(ms -> String.format(Locale.ROOT, "%.0f ms", ms)).toList().toString());
        if (s.outage() != null) {
            Outage o = s.outage();
            row(sb, "outage: group without a leader", String.format(Locale.ROOT, "%.1f s (replicas down %d s, then "
                    + "restarted)", o.downS(), o.configuredS()));
            row(sb, "outage: clients that switched to gossip", String.format(Locale.ROOT, "%d of %d, after %s ms "
                    + "(fallback timeout %d ms)", o.switchMs().size(), s.settings().clients(), o.switchMs().values(),
                    o.fallbackTimeoutMs()));
            row(sb, "outage: gossip models' mean accuracy", String.format(Locale.ROOT, "%.4f at the first "
                    + "evaluation &rarr; %.4f at the last before reconnecting", o.gossipAccuracyStart(),
                    o.gossipAccuracyEnd()));
            row(sb, "outage: merged checkpoint (doubly weighted averaging)", String.format(Locale.ROOT,
                    "v%d, %d hand-backs, accuracy %.4f vs best gossip model %.4f (%s)", o.mergedVersion(),
                    o.handBacks(), o.mergedAccuracy(), o.bestGossipAccuracy(), SvgChart.esc(o.bestGossipClient())));
        }
        row(sb, "acknowledged updates", Integer.toString(s.acknowledgedUpdates()));
        row(sb, "lost acknowledged updates", Integer.toString(s.lostAcknowledgedUpdates()));
        row(sb, "replicas end with the same chain", Boolean.toString(s.replicasAgree()));
        row(sb, "history check", s.historyViolations().isEmpty() ? "valid" : s.historyViolations().size() + " violation(s)");
        row(sb, "wall time", String.format(Locale.ROOT, "%.1f s (load average %.1f on %d CPUs)", s.wallS(),
                s.loadAverage(), Runtime.getRuntime().availableProcessors()));
        sb.append("</table>\n<div class=\"plots\">\n<figure>")
                .append(SvgChart.lines("Accuracy of the latest committed model", "time (s)", "test accuracy", acc))
                .append("</figure>\n<figure>")
                .append(SvgChart.lines("Committed checkpoints", "time (s)", "version", ver))
                .append("</figure>\n</div>\n<h2>Events</h2>\n<table>\n<tr><th>time (s)</th><th>event</th><th>detail</th></tr>\n");
        for (DemoEvent e : events) {
            sb.append(String.format(Locale.ROOT, "<tr><td>%.1f</td><td>%s</td><td>%s</td></tr>%n", e.atS(),
                    SvgChart.esc(e.kind()), SvgChart.esc(e.detail())));
        }
        return sb.append("</table>\n</body>\n</html>\n").toString();
    }

    private static void row(StringBuilder sb, String name, String value) {
        sb.append("<tr><th>").append(SvgChart.esc(name)).append("</th><td>").append(value).append("</td></tr>\n");
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
