package io.blurstream.cli.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line-chart writer: panels in a grid, each with its own axes and named series, rendered to
 * a standalone SVG document. Enough for forecast-vs-actual plots and learning curves without a
 * plotting library.
 */
final class SvgChart {

    private static final String[] COLOURS = {"#444444", "#1f77b4", "#d62728", "#2ca02c"};
    private static final int PANEL_WIDTH = 460;
    private static final int PANEL_HEIGHT = 240;
    private static final int MARGIN = 46;

    /** One line: its name and points. */
    record Series(String name, double[] x, double[] y) {}

    /** One plot area with a title and its lines. */
    record Panel(String title, String xLabel, List<Series> series) {}

    private final String title;
    private final int columns;
    private final List<Panel> panels = new ArrayList<>();

    SvgChart(String title, int columns) {
        this.title = title;
        this.columns = columns;
    }

    SvgChart add(Panel panel) {
        panels.add(panel);
        return this;
    }

    String render() {
        int rows = (panels.size() + columns - 1) / columns;
        int width = columns * PANEL_WIDTH;
        int height = 40 + rows * PANEL_HEIGHT;
        StringBuilder svg = new StringBuilder();
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                                + " font-family=\"sans-serif\" font-size=\"11\">\n"
                                + "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
                                + "<text x=\"%d\" y=\"24\" font-size=\"15\""
                                + " text-anchor=\"middle\">%s</text>\n",
                        width,
                        height,
                        width / 2,
                        escape(title)));
        for (int p = 0; p < panels.size(); p++) {
            int left = (p % columns) * PANEL_WIDTH;
            int top = 40 + (p / columns) * PANEL_HEIGHT;
            panel(svg, panels.get(p), left, top);
        }
        return svg.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder svg, Panel panel, int left, int top) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (Series s : panel.series()) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.y()[i])) {
                    minX = Math.min(minX, s.x()[i]);
                    maxX = Math.max(maxX, s.x()[i]);
                    minY = Math.min(minY, s.y()[i]);
                    maxY = Math.max(maxY, s.y()[i]);
                }
            }
        }
        if (!(maxX > minX)) {
            maxX = minX + 1;
        }
        if (!(maxY > minY)) {
            maxY = minY + 1;
        }
        double pad = 0.05 * (maxY - minY);
        minY -= pad;
        maxY += pad;
        int x0 = left + MARGIN;
        int y0 = top + 22;
        int w = PANEL_WIDTH - MARGIN - 14;
        int h = PANEL_HEIGHT - 62;
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n"
                                + "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                                + " stroke=\"#999\"/>\n",
                        x0 + w / 2,
                        top + 14,
                        escape(panel.title()),
                        x0,
                        y0,
                        w,
                        h));
        for (int t = 0; t <= 4; t++) {
            double value = minY + (maxY - minY) * t / 4;
            double y = y0 + h - h * (value - minY) / (maxY - minY);
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                            x0 - 4,
                            y + 4,
                            tick(value)));
        }
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<text x=\"%d\" y=\"%d\" text-anchor=\"start\">%s</text>"
                                + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                                + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                        x0,
                        y0 + h + 14,
                        tick(minX),
                        x0 + w,
                        y0 + h + 14,
                        tick(maxX),
                        x0 + w / 2,
                        y0 + h + 14,
                        escape(panel.xLabel())));
        int legendX = x0;
        for (int k = 0; k < panel.series().size(); k++) {
            Series s = panel.series().get(k);
            String colour = COLOURS[k % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.y()[i])) {
                    continue;
                }
                double px = x0 + w * (s.x()[i] - minX) / (maxX - minX);
                double py = y0 + h - h * (s.y()[i] - minY) / (maxY - minY);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
            }
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.4\""
                                    + " points=\"%s\"/>\n"
                                    + "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"3\""
                                    + " fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>\n",
                            colour,
                            points.toString().trim(),
                            legendX,
                            y0 + h + 25,
                            colour,
                            legendX + 14,
                            y0 + h + 30,
                            escape(s.name())));
            legendX += 16 + 7 * s.name().length() + 14;
        }
    }

    private static String tick(double value) {
        double magnitude = Math.abs(value);
        if (magnitude != 0 && (magnitude < 0.01 || magnitude >= 1e5)) {
            return String.format(Locale.ROOT, "%.2e", value);
        }
        return String.format(Locale.ROOT, magnitude < 10 ? "%.3f" : "%.1f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
