package dev.tinygen.examples.demo;

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
 * Horizontal bars, one labelled row each, coloured by group, with the value printed at the end of each bar: for
 * tables such as the parameter count of every learned tensor.
 *
 * <pre>{@code
 * new BarChart("parameters", "hyperparameters: ...").bar("wte.weight", 9856, "embeddings").write(png);
 * }</pre>
 */
public final class BarChart {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    static final int WIDTH = 900;
    static final int ROW = 16;
    static final int TOP = 64;
    static final int BOTTOM = 24;

    private static final Color[] COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127)};

    private record Bar(String label, double value, String group) {}

    private final String title;
    private final String subtitle;
    private final List<Bar> bars = new ArrayList<>();

    public BarChart(String title, String subtitle) {
        this.title = title;
        this.subtitle = subtitle == null ? "" : subtitle;
    }

    /** Adds a bar; values must be finite and >= 0 (a bar's length is its value). */
    public BarChart bar(String label, double value, String group) {
        if (!(value >= 0) || Double.isInfinite(value))
            throw new IllegalArgumentException("bar '%s': value must be finite and >= 0, got %s".formatted(label, value));
        bars.add(new Bar(label, value, group == null ? "" : group));
        return this;
    }

    /** The image height for {@code n} bars. */
    public static int height(int n) {
        return TOP + Math.max(1, n) * ROW + BOTTOM;
    }

    public BufferedImage render() {
        int height = height(bars.size());
        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        int labelWidth = 0;
        double max = 0;
        for (Bar b : bars) {
            labelWidth = Math.max(labelWidth, fm.stringWidth(b.label));
            max = Math.max(max, b.value);
        }
        if (max == 0) max = 1;
        Map<String, Color> groups = new LinkedHashMap<>();
        for (Bar b : bars) groups.computeIfAbsent(b.group, k -> COLORS[groups.size() % COLORS.length]);
        int legendWidth = 0;
        for (String k : groups.keySet()) legendWidth = Math.max(legendWidth, fm.stringWidth(k));
        int left = labelWidth + 16, right = legendWidth + 40 + fm.stringWidth("0,000,000");
        int pw = WIDTH - left - right;

        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, WIDTH / 2 - g.getFontMetrics().stringWidth(title) / 2, 22);
        g.setFont(font);
        g.drawString(subtitle, WIDTH / 2 - fm.stringWidth(subtitle) / 2, 42);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = TOP + i * ROW;
            int len = (int) Math.round(b.value / max * pw);
            g.setColor(groups.get(b.group));
            g.fillRect(left, y + 2, Math.max(1, len), ROW - 4);
            g.setColor(Color.DARK_GRAY);
            g.drawString(b.label, left - 8 - fm.stringWidth(b.label), y + ROW - 4);
            g.drawString(String.format(Locale.ROOT, "%,.0f", b.value), left + len + 4, y + ROW - 4);
        }
        g.drawLine(left, TOP, left, TOP + bars.size() * ROW);
        int ly = TOP + 10;
        for (var e : groups.entrySet()) {
            if (e.getKey().isEmpty()) continue;
            g.setColor(e.getValue());
            g.fillRect(WIDTH - legendWidth - 30, ly - 9, 10, 10);
            g.setColor(Color.DARK_GRAY);
            g.drawString(e.getKey(), WIDTH - legendWidth - 14, ly);
            ly += 16;
        }
        g.dispose();
        return img;
    }

    public void write(Path png) throws IOException {
        LinePlot.writePng(render(), png);
    }
}
