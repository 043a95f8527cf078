package dev.tinygen.nn.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import dev.tinygen.nn.io.AtomicFile;

/**
 * A line chart written as PNG: named series of (x, y) points on shared axes, with ticks and a legend. The legend
 * goes in the corner of the plot area that covers the fewest points (top right when several tie), on a white box,
 * so it does not hide a curve that runs through the usual corner (a ROC curve's top right, say).
 *
 * <pre>{@code
 * new LinePlot("loss", "step", "loss").series("train", steps, train).series("val", evalSteps, val).write(path);
 * }</pre>
 */
public final class LinePlot {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final Color[] COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75)};

    private record Series(String name, double[] x, double[] y) {}

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private int width = 800;
    private int height = 500;

    public LinePlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public LinePlot size(int w, int h) {
        if (w < 200 || h < 150) throw new IllegalArgumentException("plot size must be at least 200x150, got %dx%d".formatted(w, h));
        width = w;
        height = h;
        return this;
    }

    /** Adds a series; x and y must have the same length. Non-finite points are skipped. */
    public LinePlot series(String name, double[] x, double[] y) {
        if (x.length != y.length)
            throw new IllegalArgumentException("series '%s': %d x values but %d y values".formatted(name, x.length, y.length));
        series.add(new Series(name, x.clone(), y.clone()));
        return this;
    }

    public BufferedImage render() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int left = 70, right = 20, top = 40, bottom = 50;
        int pw = width - left - right, ph = height - top - bottom;
        double xmin = Double.POSITIVE_INFINITY, xmax = Double.NEGATIVE_INFINITY;
        double ymin = Double.POSITIVE_INFINITY, ymax = Double.NEGATIVE_INFINITY;
        for (Series s : series)
            for (int i = 0; i < s.x.length; i++) {
                if (!Double.isFinite(s.x[i]) || !Double.isFinite(s.y[i])) continue;
                xmin = Math.min(xmin, s.x[i]);
                xmax = Math.max(xmax, s.x[i]);
                ymin = Math.min(ymin, s.y[i]);
                ymax = Math.max(ymax, s.y[i]);
            }
        if (xmin > xmax) { xmin = 0; xmax = 1; ymin = 0; ymax = 1; }
        if (xmax == xmin) xmax = xmin + 1;
        if (ymax == ymin) { ymax += 0.5; ymin -= 0.5; }
        double pad = 0.05 * (ymax - ymin);
        ymin -= pad;
        ymax += pad;

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        double[] xt = niceTicks(xmin, xmax), yt = niceTicks(ymin, ymax);
        g.setColor(new Color(230, 230, 230));
        for (double yv : yt) {
            int yy = top + ph - (int) Math.round((yv - ymin) / (ymax - ymin) * ph);
            g.drawLine(left, yy, left + pw, yy);
        }
        for (double xv : xt) {
            int xx = left + (int) Math.round((xv - xmin) / (xmax - xmin) * pw);
            g.drawLine(xx, top, xx, top + ph);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(left, top, pw, ph);
        for (double yv : yt)
            g.drawString(fmt(yv, yt), 5, top + ph - (int) Math.round((yv - ymin) / (ymax - ymin) * ph) + 4);
        for (double xv : xt) {
            String xs = fmt(xv, xt);
            int xx = left + (int) Math.round((xv - xmin) / (xmax - xmin) * pw);
            g.drawString(xs, xx - g.getFontMetrics().stringWidth(xs) / 2, top + ph + 18);
        }
        g.drawString(xLabel, left + pw / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, height - 10);
        g.drawString(yLabel, 5, top - 8);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left + pw / 2 - g.getFontMetrics().stringWidth(title) / 2, 22);

        g.setStroke(new BasicStroke(2f));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        List<int[]> drawn = new ArrayList<>();                                            // every point, in pixels
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            g.setColor(COLORS[si % COLORS.length]);
            int px = -1, py = -1;
            for (int i = 0; i < s.x.length; i++) {
                if (!Double.isFinite(s.x[i]) || !Double.isFinite(s.y[i])) continue;
                int cx = left + (int) Math.round((s.x[i] - xmin) / (xmax - xmin) * pw);
                int cy = top + ph - (int) Math.round((s.y[i] - ymin) / (ymax - ymin) * ph);
                if (px >= 0) {
                    g.drawLine(px, py, cx, cy);
                    int steps = Math.max(1, (int) (Math.hypot(cx - px, cy - py) / 4));   // the line, every 4 pixels
                    for (int k = 1; k < steps; k++)
                        drawn.add(new int[] {px + (cx - px) * k / steps, py + (cy - py) * k / steps});
                } else if (s.x.length == 1) {
                    g.fillOval(cx - 3, cy - 3, 6, 6);
                }
                drawn.add(new int[] {cx, cy});
                px = cx;
                py = cy;
            }
        }
        int nameWidth = 0;
        for (Series s : series) nameWidth = Math.max(nameWidth, g.getFontMetrics().stringWidth(s.name));
        int boxW = 35 + nameWidth, boxH = 8 + 16 * series.size();
        int[] box = legendBox(drawn, left, top, pw, ph, boxW, boxH);
        if (!series.isEmpty()) {
            g.setColor(Color.WHITE);
            g.fillRect(box[0], box[1], boxW, boxH);
            g.setColor(new Color(200, 200, 200));
            g.setStroke(new BasicStroke(1f));
            g.drawRect(box[0], box[1], boxW, boxH);
            g.setStroke(new BasicStroke(2f));
        }
        for (int si = 0; si < series.size(); si++) {
            g.setColor(COLORS[si % COLORS.length]);
            int ly = box[1] + 16 + si * 16;
            g.drawLine(box[0] + 5, ly - 4, box[0] + 25, ly - 4);
            g.drawString(series.get(si).name, box[0] + 30, ly);
        }
        g.dispose();
        return img;
    }

    /**
     * The top-left pixel of a {@code boxW x boxH} legend inside the plot area ({@code left, top, pw, ph}), in the
     * corner that covers the fewest of {@code points} (pixel x, y): top right, top left, bottom right, bottom left,
     * the first of those on a tie.
     */
    static int[] legendBox(List<int[]> points, int left, int top, int pw, int ph, int boxW, int boxH) {
        int margin = 8;
        int[][] corners = {
            {left + pw - margin - boxW, top + margin}, {left + margin, top + margin},
            {left + pw - margin - boxW, top + ph - margin - boxH}, {left + margin, top + ph - margin - boxH}};
        int[] best = corners[0];
        long bestCount = Long.MAX_VALUE;
        for (int[] c : corners) {
            long n = points.stream().filter(p -> p[0] >= c[0] && p[0] <= c[0] + boxW && p[1] >= c[1] && p[1] <= c[1] + boxH).count();
            if (n < bestCount) {
                bestCount = n;
                best = c;
            }
        }
        return best;
    }

    /** Renders and writes the PNG atomically (temporary file, then rename). */
    public void write(Path png) throws IOException {
        writePng(render(), png);
    }

    /** Writes an image as PNG through a temporary file in the same folder, then renames it into place. */
    public static void writePng(BufferedImage img, Path png) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", bytes)) throw new IOException("no PNG writer available");
        AtomicFile.write(png, bytes.toByteArray());
    }

    /**
     * Round tick values inside [lo, hi]: multiples of a step of 1, 2 or 5 times a power of ten, chosen so that 4 to
     * 10 ticks fall in the range (an epoch axis from 1 to 50 gets 10, 20, ..., 50, not 10.8, 20.6, ...).
     */
    static double[] niceTicks(double lo, double hi) {
        double raw = (hi - lo) / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag * (raw / mag < 1.5 ? 1 : raw / mag < 3.5 ? 2 : raw / mag < 7.5 ? 5 : 10);
        long first = (long) Math.ceil(lo / step - 1e-9), last = (long) Math.floor(hi / step + 1e-9);
        double[] t = new double[(int) Math.max(0, last - first + 1)];
        for (int i = 0; i < t.length; i++) t[i] = (first + i) * step;
        return t;
    }

    /** {@code v} with as many decimals as the tick step needs (0.25 steps: 2; 5 steps: 0). */
    private static String fmt(double v, double[] ticks) {
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : Math.abs(v);
        double a = Math.max(Math.abs(v), step);
        if (a != 0 && (a >= 1e5 || step < 1e-3)) return String.format(Locale.ROOT, "%.1e", v);
        int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
