package dev.tinygen.examples.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import dev.tinygen.nn.plot.LinePlot;

/**
 * Labelled points on two axes, coloured by group, for maps such as the 2-D PCA projection of token embeddings.
 *
 * <pre>{@code
 * new ScatterPlot("embeddings, PCA", "PC1", "PC2").point(x, y, "e", "vowel").write(png);
 * }</pre>
 */
public final class ScatterPlot {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final Color[] COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127)};

    private record Point(double x, double y, String label, String group) {}

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Point> points = new ArrayList<>();
    private int width = 800;
    private int height = 640;

    public ScatterPlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public ScatterPlot size(int w, int h) {
        if (w < 200 || h < 150) throw new IllegalArgumentException("scatter size must be at least 200x150, got %dx%d".formatted(w, h));
        width = w;
        height = h;
        return this;
    }

    /** Adds a point; a non-finite coordinate is refused, as it has no place on the map. */
    public ScatterPlot point(double x, double y, String label, String group) {
        if (!Double.isFinite(x) || !Double.isFinite(y))
            throw new IllegalArgumentException("scatter point '%s': coordinates must be finite, got (%s, %s)".formatted(label, x, y));
        points.add(new Point(x, y, label, group == null ? "" : group));
        return this;
    }

    public int size() {
        return points.size();
    }

    public BufferedImage render() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int left = 70, right = 130, top = 40, bottom = 50;
        int pw = width - left - right, ph = height - top - bottom;
        double xmin = Double.POSITIVE_INFINITY, xmax = Double.NEGATIVE_INFINITY;
        double ymin = Double.POSITIVE_INFINITY, ymax = Double.NEGATIVE_INFINITY;
        for (Point p : points) {
            xmin = Math.min(xmin, p.x);
            xmax = Math.max(xmax, p.x);
            ymin = Math.min(ymin, p.y);
            ymax = Math.max(ymax, p.y);
        }
        if (points.isEmpty()) { xmin = ymin = 0; xmax = ymax = 1; }
        if (xmax == xmin) { xmax += 0.5; xmin -= 0.5; }
        if (ymax == ymin) { ymax += 0.5; ymin -= 0.5; }
        double px = 0.05 * (xmax - xmin), py = 0.05 * (ymax - ymin);
        xmin -= px; xmax += px; ymin -= py; ymax += py;

        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        g.setColor(new Color(230, 230, 230));
        for (int i = 0; i <= 5; i++) {
            g.drawLine(left, top + ph - i * ph / 5, left + pw, top + ph - i * ph / 5);
            g.drawLine(left + i * pw / 5, top, left + i * pw / 5, top + ph);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(left, top, pw, ph);
        for (int i = 0; i <= 5; i++) {
            String ys = fmt(ymin + i * (ymax - ymin) / 5, ymax - ymin), xs = fmt(xmin + i * (xmax - xmin) / 5, xmax - xmin);
            g.drawString(ys, left - 6 - fm.stringWidth(ys), top + ph - i * ph / 5 + 4);
            g.drawString(xs, left + i * pw / 5 - fm.stringWidth(xs) / 2, top + ph + 18);
        }
        g.drawString(xLabel, left + pw / 2 - fm.stringWidth(xLabel) / 2, height - 10);
        g.drawString(yLabel, 5, top - 8);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left + pw / 2 - g.getFontMetrics().stringWidth(title) / 2, 22);
        g.setFont(font);

        Map<String, Color> groups = new LinkedHashMap<>();
        for (Point p : points) groups.computeIfAbsent(p.group, k -> COLORS[groups.size() % COLORS.length]);
        g.setStroke(new BasicStroke(1.2f));
        for (Point p : points) {
            int cx = left + (int) Math.round((p.x - xmin) / (xmax - xmin) * pw);
            int cy = top + ph - (int) Math.round((p.y - ymin) / (ymax - ymin) * ph);
            g.setColor(groups.get(p.group));
            g.fillOval(cx - 3, cy - 3, 6, 6);
            g.drawString(p.label, cx + 5, cy - 3);
        }
        int ly = top + 12;
        for (var e : groups.entrySet()) {
            if (e.getKey().isEmpty()) continue;
            g.setColor(e.getValue());
            g.fillOval(left + pw + 12, ly - 8, 8, 8);
            g.setColor(Color.DARK_GRAY);
            g.drawString(e.getKey(), left + pw + 26, ly);
            ly += 18;
        }
        g.dispose();
        return img;
    }

    public void write(Path png) throws IOException {
        LinePlot.writePng(render(), png);
    }

    /** A tick value: two decimals unless the axis spans less than 0.05 or reaches 1e4 (a tick near 0 stays "0.00"). */
    private static String fmt(double v, double span) {
        if (span < 0.05 || Math.abs(v) >= 1e4) return String.format(Locale.ROOT, "%.1e", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
