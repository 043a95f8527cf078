package dev.tinygen.vaegan.vae;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import dev.tinygen.nn.plot.LinePlot;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A scatter plot of 2-D latent codes, one dot per image coloured by its class, with a legend: how a 2-D VAE lays out
 * the digits.
 *
 * <p>Shape: points {@code (N, 2)}, labels {@code N} values in {@code [0, 10)}.
 */
public final class LatentScatter {
    /** Ten colours told apart easily (the Tableau 10 palette). */
    private static final Color[] PALETTE = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
        new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC)};

    private LatentScatter() {}

    public static BufferedImage render(INDArray points, int[] labels, String title, int size) {
        if (points == null || points.rank() != 2 || points.size(1) != 2)
            throw new IllegalArgumentException("latent scatter: expected points (N, 2), got "
                    + (points == null ? "null" : Arrays.toString(points.shape())));
        int n = (int) points.size(0);
        if (n == 0) throw new IllegalArgumentException("latent scatter: no points");
        if (labels.length != n) throw new IllegalArgumentException("latent scatter: %d points but %d labels".formatted(n, labels.length));
        for (int i = 0; i < n; i++)
            if (labels[i] < 0 || labels[i] >= PALETTE.length)
                throw new IllegalArgumentException("latent scatter: label %d of point %d is outside [0, %d)".formatted(labels[i], i, PALETTE.length));
        if (size < 200) throw new IllegalArgumentException("latent scatter: size must be at least 200 pixels, got " + size);
        double[] xs = points.getColumn(0).toDoubleVector(), ys = points.getColumn(1).toDoubleVector();
        double minX = Arrays.stream(xs).min().getAsDouble(), maxX = Arrays.stream(xs).max().getAsDouble();
        double minY = Arrays.stream(ys).min().getAsDouble(), maxY = Arrays.stream(ys).max().getAsDouble();
        double spanX = Math.max(maxX - minX, 1e-9), spanY = Math.max(maxY - minY, 1e-9);

        int left = 50, top = 30, legendW = 70, plot = size - left - 20;
        BufferedImage img = new BufferedImage(left + plot + legendW, top + plot + 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        g.drawString(title, left, 18);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(left, top, plot, plot);
        g.drawString(String.format(Locale.ROOT, "z1 %.1f .. %.1f", minX, maxX), left, top + plot + 18);
        g.drawString(String.format(Locale.ROOT, "z2 %.1f .. %.1f", minY, maxY), left, top + plot + 34);
        for (int i = 0; i < n; i++) {
            int px = left + (int) Math.round((xs[i] - minX) / spanX * (plot - 4)) + 2;
            int py = top + plot - 2 - (int) Math.round((ys[i] - minY) / spanY * (plot - 4));
            g.setColor(PALETTE[labels[i]]);
            g.fillOval(px - 1, py - 1, 3, 3);
        }
        for (int c = 0; c < PALETTE.length; c++) {
            int y = top + 10 + c * 18;
            g.setColor(PALETTE[c]);
            g.fillOval(left + plot + 14, y - 8, 9, 9);
            g.setColor(Color.BLACK);
            g.drawString(String.valueOf(c), left + plot + 30, y);
        }
        g.dispose();
        return img;
    }

    /** Renders at 600 pixels and writes the PNG atomically. */
    public static void write(INDArray points, int[] labels, String title, Path png) throws IOException {
        LinePlot.writePng(render(points, labels, title, 600), png);
    }
}
