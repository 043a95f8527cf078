package dev.tinygen.examples.demo;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import dev.tinygen.nn.plot.LinePlot;

/**
 * A matrix drawn as coloured cells, with row and column labels (tokens, positions, settings), a title and a colour
 * bar that maps colours back to values. Sequential colours (viridis) for values that only grow, such as
 * probabilities and attention weights; diverging colours (blue, white, red) for values around zero.
 *
 * <pre>{@code
 * new Heatmap("layer 0, head 1", weights).rows(tokens).columns(tokens).range(0, 1).axes("key", "query").write(png);
 * }</pre>
 */
public final class Heatmap {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final Color[] VIRIDIS = {new Color(0x440154), new Color(0x3b528b), new Color(0x21918c),
        new Color(0x5ec962), new Color(0xfde725)};
    private static final Color[] DIVERGING = {new Color(0x2166ac), new Color(0x92c5de), Color.WHITE,
        new Color(0xf4a582), new Color(0xb2182b)};

    private final String title;
    private final double[][] values;       // (rows, cols)
    private List<String> rowLabels;
    private List<String> colLabels;
    private String xName = "";
    private String yName = "";
    private double min = Double.NaN;
    private double max = Double.NaN;
    private boolean diverging;
    private int cell = 0;

    public Heatmap(String title, double[][] values) {
        if (values.length == 0 || values[0].length == 0)
            throw new IllegalArgumentException("heatmap '%s': expected a non-empty matrix, got %d rows".formatted(title, values.length));
        for (double[] r : values)
            if (r.length != values[0].length)
                throw new IllegalArgumentException("heatmap '%s': rows must have equal length, got %d and %d"
                        .formatted(title, values[0].length, r.length));
        this.title = title;
        this.values = values;
    }

    public Heatmap rows(List<String> labels) {
        if (labels.size() != values.length)
            throw new IllegalArgumentException("heatmap '%s': %d row labels for %d rows".formatted(title, labels.size(), values.length));
        rowLabels = List.copyOf(labels);
        return this;
    }

    public Heatmap columns(List<String> labels) {
        if (labels.size() != values[0].length)
            throw new IllegalArgumentException("heatmap '%s': %d column labels for %d columns".formatted(title, labels.size(), values[0].length));
        colLabels = List.copyOf(labels);
        return this;
    }

    /** Axis names: x below the columns, y beside the rows. */
    public Heatmap axes(String x, String y) {
        xName = x;
        yName = y;
        return this;
    }

    /** Fixes the colour scale (otherwise the data's min and max). */
    public Heatmap range(double lo, double hi) {
        if (!(lo < hi)) throw new IllegalArgumentException("heatmap '%s': range needs lo < hi, got %s, %s".formatted(title, lo, hi));
        min = lo;
        max = hi;
        return this;
    }

    public Heatmap diverging(boolean on) {
        diverging = on;
        return this;
    }

    /** Cell size in pixels (otherwise chosen so the matrix is about 480 pixels across). */
    public Heatmap cellSize(int px) {
        if (px < 1) throw new IllegalArgumentException("heatmap '%s': cell size must be >= 1 pixel, got %d".formatted(title, px));
        cell = px;
        return this;
    }

    public BufferedImage render() {
        int nr = values.length, nc = values[0].length;
        int cs = cell > 0 ? cell : Math.max(2, Math.min(28, 480 / Math.max(nr, nc)));
        double lo = min, hi = max;
        if (Double.isNaN(lo)) {
            lo = Double.POSITIVE_INFINITY;
            hi = Double.NEGATIVE_INFINITY;
            for (double[] r : values)
                for (double v : r)
                    if (Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
            if (lo > hi) { lo = 0; hi = 1; }
            if (lo == hi) hi = lo + 1;
            if (diverging) {
                double a = Math.max(Math.abs(lo), Math.abs(hi));
                lo = -a;
                hi = a;
            }
        }
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 13);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(labelFont);
        int rowLabelW = rowLabels == null ? 0 : rowLabels.stream().mapToInt(fm::stringWidth).max().orElse(0);
        int colLabelH = colLabels == null ? 0 : colLabels.stream().mapToInt(fm::stringWidth).max().orElse(0);
        pg.dispose();
        int left = 12 + rowLabelW + (yName.isEmpty() ? 0 : 18) + 6;
        int top = 32;
        int plotW = nc * cs, plotH = nr * cs;
        int bottom = colLabelH + 10 + (xName.isEmpty() ? 0 : 20) + 6;
        int barX = left + plotW + 16;
        int right = 16 + 14 + 8 + 60;
        int width = Math.max(barX + right, 260);
        int height = top + Math.max(plotH, 120) + bottom;

        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(titleFont);
        g.drawString(title, Math.max(4, left + plotW / 2 - g.getFontMetrics().stringWidth(title) / 2), 20);

        for (int r = 0; r < nr; r++)
            for (int c = 0; c < nc; c++) {
                double v = values[r][c];
                g.setColor(Double.isFinite(v) ? color((v - lo) / (hi - lo)) : new Color(200, 200, 200));
                g.fillRect(left + c * cs, top + r * cs, cs, cs);
            }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(left - 1, top - 1, plotW + 1, plotH + 1);

        g.setFont(labelFont);
        int step = Math.max(1, (int) Math.ceil((fm.getHeight() - 1.0) / cs));   // skip labels that would overlap
        if (rowLabels != null)
            for (int r = 0; r < nr; r += step) {
                String s = rowLabels.get(r);
                g.drawString(s, left - 6 - fm.stringWidth(s), top + r * cs + cs / 2 + fm.getAscent() / 2 - 1);
            }
        if (colLabels != null) {
            AffineTransform saved = g.getTransform();
            for (int c = 0; c < nc; c += step) {
                String s = colLabels.get(c);
                int x = left + c * cs + cs / 2 + fm.getAscent() / 2 - 1;
                int y = top + plotH + 6;
                g.setTransform(saved);
                g.translate(x, y);
                g.rotate(Math.PI / 2);
                g.drawString(s, 0, 0);
            }
            g.setTransform(saved);
        }
        if (!xName.isEmpty()) g.drawString(xName, left + plotW / 2 - fm.stringWidth(xName) / 2, height - 8);
        if (!yName.isEmpty()) {
            AffineTransform saved = g.getTransform();
            g.translate(14, top + plotH / 2 + fm.stringWidth(yName) / 2);
            g.rotate(-Math.PI / 2);
            g.drawString(yName, 0, 0);
            g.setTransform(saved);
        }

        int barH = Math.max(plotH, 120);
        for (int y = 0; y < barH; y++) {
            g.setColor(color(1.0 - (double) y / (barH - 1)));
            g.fillRect(barX, top + y, 14, 1);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(barX, top, 14, barH);
        for (int i = 0; i <= 4; i++) {
            double v = hi - i * (hi - lo) / 4;
            int y = top + i * (barH - 1) / 4;
            g.drawLine(barX + 14, y, barX + 18, y);
            g.drawString(fmt(v), barX + 20, y + fm.getAscent() / 2 - 1);
        }
        g.dispose();
        return img;
    }

    public void write(Path png) throws IOException {
        LinePlot.writePng(render(), png);
    }

    /** The colour for a position t in [0, 1] of the scale (clamped). */
    Color color(double t) {
        Color[] stops = diverging ? DIVERGING : VIRIDIS;
        double u = Math.max(0, Math.min(1, t)) * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) Math.floor(u));
        double f = u - i;
        Color a = stops[i], b = stops[i + 1];
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    /** Several images side by side in rows of {@code perRow}, on white, for one panel per attention head. */
    public static BufferedImage tile(List<BufferedImage> panels, int perRow) {
        if (panels.isEmpty()) throw new IllegalArgumentException("tile: no panels");
        if (perRow < 1) throw new IllegalArgumentException("tile: perRow must be >= 1, got " + perRow);
        int w = panels.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
        int h = panels.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        int cols = Math.min(perRow, panels.size()), rows = (panels.size() + perRow - 1) / perRow;
        BufferedImage out = new BufferedImage(cols * w, rows * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < panels.size(); i++) g.drawImage(panels.get(i), (i % perRow) * w, (i / perRow) * h, null);
        g.dispose();
        return out;
    }

    private static String fmt(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e4 || a < 1e-2)) return String.format(Locale.ROOT, "%.1e", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
