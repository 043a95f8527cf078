package dev.tinygen.examples;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import dev.tinygen.nn.plot.LinePlot;
import dev.tinygen.vaegan.Metrics;

/**
 * ROC curves side by side, one small panel per curve (at most five to a row), each with the chance diagonal: one
 * colour per panel reads better than ten curves sharing six colours in one chart.
 */
final class RocFigure {
    static final int PANEL_WIDTH = 360;
    static final int PANEL_HEIGHT = 300;
    static final int PER_ROW = 5;

    /** One curve and the title of its panel. */
    record Panel(String title, Metrics.Roc roc) {}

    private RocFigure() {}

    /** The image size for {@code n} panels: {width, height}. */
    static int[] size(int n) {
        if (n < 1) throw new IllegalArgumentException("ROC figure: needs at least one curve, got " + n);
        int cols = Math.min(n, PER_ROW), rows = (n + PER_ROW - 1) / PER_ROW;
        return new int[] {cols * PANEL_WIDTH, rows * PANEL_HEIGHT};
    }

    static BufferedImage render(List<Panel> panels) {
        int[] wh = size(panels.size());
        BufferedImage img = new BufferedImage(wh[0], wh[1], BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, wh[0], wh[1]);
        for (int i = 0; i < panels.size(); i++) {
            Panel p = panels.get(i);
            BufferedImage one = new LinePlot(p.title(), "false-positive rate", "true-positive rate")
                    .size(PANEL_WIDTH, PANEL_HEIGHT)
                    .series("ROC", p.roc().fpr(), p.roc().tpr())
                    .series("chance", new double[] {0, 1}, new double[] {0, 1})
                    .render();
            g.drawImage(one, (i % PER_ROW) * PANEL_WIDTH, (i / PER_ROW) * PANEL_HEIGHT, null);
        }
        g.dispose();
        return img;
    }

    static void write(List<Panel> panels, Path png) throws IOException {
        LinePlot.writePng(render(panels), png);
    }

    static String title(String what, Metrics.Roc roc) {
        return String.format(Locale.ROOT, "%s: AUC %.3f", what, roc.area());
    }
}
