package io.starling.sim.report;

import java.util.List;
import java.util.Locale;

/**
 * A small SVG chart writer (line charts and grouped bar charts) producing inline markup for the
 * self-contained report: no scripts, fonts or external references. Public so other reports (the
 * {@code starling demo} page) draw with the same look.
 */
public final class SvgChart {
    static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
        "#17becf"};
    private static final int W = 460;
    private static final int H = 300;
    private static final int LEFT = 58;
    private static final int RIGHT = 12;
    private static final int TOP = 28;
    private static final int BOTTOM = 46;

    /** One named series of (x, y) points. */
    public record Series(String name, double[] x, double[] y) {
    }

    private SvgChart() {
    }

    public static String lines(String title, String xLabel, String yLabel, List<Series> series) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    minX = Math.min(minX, s.x()[i]);
                    maxX = Math.max(maxX, s.x()[i]);
                    minY = Math.min(minY, s.y()[i]);
                    maxY = Math.max(maxY, s.y()[i]);
                }
            }
        }
        if (!Double.isFinite(minX)) {
            minX = 0;
            maxX = 1;
            minY = 0;
            maxY = 1;
        }
        minY = Math.min(0, minY);
        if (maxY <= minY) {
            maxY = minY + 1;
        }
        if (maxX <= minX) {
            maxX = minX + 1;
        }
        StringBuilder sb = open(title);
        axes(sb, xLabel, yLabel, minX, maxX, minY, maxY);
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    pts.append(fmt(px(s.x()[i], minX, maxX))).append(',').append(fmt(py(s.y()[i], minY, maxY))).append(' ');
                }
            }
            sb.append("<polyline class=\"series\" fill=\"none\" stroke-width=\"1.8\" stroke=\"").append(color(k))
                    .append("\" points=\"").append(pts.toString().trim()).append("\"><title>").append(esc(s.name()))
                    .append("</title></polyline>\n");
        }
        legend(sb, series.stream().map(Series::name).toList());
        return sb.append("</svg>\n").toString();
    }

    /** Grouped bars: one group per category, one bar per series; values are fractions shown as %. */
    static String bars(String title, String xLabel, String yLabel, List<String> categories, List<String> names,
                       double[][] values) {
        double maxY = 0;
        for (double[] v : values) {
            for (double d : v) {
                maxY = Math.max(maxY, d);
            }
        }
        if (maxY <= 0) {
            maxY = 1;
        }
        StringBuilder sb = open(title);
        axes(sb, xLabel, yLabel, Double.NaN, Double.NaN, 0, maxY);
        int groups = Math.max(1, categories.size());
        double groupW = (double) (W - LEFT - RIGHT) / groups;
        double barW = Math.max(1, (groupW - 4) / Math.max(1, names.size()));
        for (int g = 0; g < categories.size(); g++) {
            double gx = LEFT + g * groupW + 2;
            for (int k = 0; k < names.size(); k++) {
                double v = values[k][g];
                double y = py(v, 0, maxY);
                sb.append("<rect class=\"bar\" x=\"").append(fmt(gx + k * barW)).append("\" y=\"").append(fmt(y))
                        .append("\" width=\"").append(fmt(Math.max(0.5, barW - 0.5))).append("\" height=\"")
                        .append(fmt(H - BOTTOM - y)).append("\" fill=\"").append(color(k)).append("\"><title>")
                        .append(esc(names.get(k) + ", " + categories.get(g) + ": " + fmt(100 * v) + "%"))
                        .append("</title></rect>\n");
            }
            if (groups <= 20 || g % Math.ceil(groups / 20.0) == 0) {
                sb.append("<text x=\"").append(fmt(gx + groupW / 2 - 2)).append("\" y=\"").append(H - BOTTOM + 14)
                        .append("\" font-size=\"10\" text-anchor=\"middle\">").append(esc(categories.get(g)))
                        .append("</text>\n");
            }
        }
        legend(sb, names);
        return sb.append("</svg>\n").toString();
    }

    private static StringBuilder open(String title) {
        StringBuilder sb = new StringBuilder();
        sb.append("<svg width=\"").append(W).append("\" height=\"").append(H)
                .append("\" viewBox=\"0 0 ").append(W).append(' ').append(H).append("\" role=\"img\" aria-label=\"")
                .append(esc(title)).append("\">\n");
        sb.append("<text x=\"").append(W / 2).append("\" y=\"16\" font-size=\"13\" font-weight=\"bold\" text-anchor=\"middle\">")
                .append(esc(title)).append("</text>\n");
        return sb;
    }

    private static void axes(StringBuilder sb, String xLabel, String yLabel, double minX, double maxX, double minY,
                             double maxY) {
        sb.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(W - LEFT - RIGHT)
                .append("\" height=\"").append(H - TOP - BOTTOM).append("\" fill=\"none\" stroke=\"#999\"/>\n");
        for (int i = 0; i <= 4; i++) {
            double v = minY + (maxY - minY) * i / 4;
            double y = py(v, minY, maxY);
            sb.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(W - RIGHT).append("\" y1=\"").append(fmt(y))
                    .append("\" y2=\"").append(fmt(y)).append("\" stroke=\"#eee\"/>\n");
            sb.append("<text x=\"").append(LEFT - 4).append("\" y=\"").append(fmt(y + 4))
                    .append("\" font-size=\"10\" text-anchor=\"end\">").append(tick(v)).append("</text>\n");
        }
        if (Double.isFinite(minX)) {
            for (int i = 0; i <= 4; i++) {
                double v = minX + (maxX - minX) * i / 4;
                sb.append("<text x=\"").append(fmt(px(v, minX, maxX))).append("\" y=\"").append(H - BOTTOM + 14)
                        .append("\" font-size=\"10\" text-anchor=\"middle\">").append(tick(v)).append("</text>\n");
            }
        }
        sb.append("<text x=\"").append((LEFT + W - RIGHT) / 2).append("\" y=\"").append(H - 18)
                .append("\" font-size=\"11\" text-anchor=\"middle\">").append(esc(xLabel)).append("</text>\n");
        sb.append("<text x=\"14\" y=\"").append((TOP + H - BOTTOM) / 2).append("\" font-size=\"11\" text-anchor=\"middle\" ")
                .append("transform=\"rotate(-90 14 ").append((TOP + H - BOTTOM) / 2).append(")\">").append(esc(yLabel))
                .append("</text>\n");
    }

    private static void legend(StringBuilder sb, List<String> names) {
        double x = LEFT;
        for (int k = 0; k < names.size(); k++) {
            sb.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(H - 12).append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(color(k)).append("\"/>");
            sb.append("<text x=\"").append(fmt(x + 13)).append("\" y=\"").append(H - 3).append("\" font-size=\"10\">")
                    .append(esc(names.get(k))).append("</text>\n");
            x += 20 + 6.5 * names.get(k).length();
        }
    }

    private static String color(int k) {
        return COLORS[k % COLORS.length];
    }

    private static double px(double x, double minX, double maxX) {
        return LEFT + (x - minX) / (maxX - minX) * (W - LEFT - RIGHT);
    }

    private static double py(double y, double minY, double maxY) {
        return H - BOTTOM - (y - minY) / (maxY - minY) * (H - TOP - BOTTOM);
    }

    static String tick(double v) {
        double a = Math.abs(v);
        if (a >= 1e9) {
            return fmt(v / 1e9) + "G";
        }
        if (a >= 1e6) {
            return fmt(v / 1e6) + "M";
        }
        if (a >= 1e4) {
            return fmt(v / 1e3) + "k";
        }
        return a >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        return s.endsWith(".00") ? s.substring(0, s.length() - 3) : s;
    }

    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
