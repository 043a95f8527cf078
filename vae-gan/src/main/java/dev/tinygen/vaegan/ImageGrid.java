package dev.tinygen.vaegan;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import dev.tinygen.nn.plot.LinePlot;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Grayscale images (values in [0, 1], 0 black) laid out as a PNG grid, row by row, with {@link #GAP} pixels between
 * tiles and optional labels left of the rows; a strip is a grid of one row. Each image pixel becomes a
 * {@code scale x scale} block.
 *
 * <p>Shape: images {@code (N, H W)} with square {@code H = W}, or {@code (N, 1, H, W)}; {@code N <= rows * cols}
 * (left-over tiles stay blank).
 */
public final class ImageGrid {
    /** Pixels between tiles and around the grid. */
    public static final int GAP = 2;
    /** Output pixels per image pixel unless told otherwise: 28x28 digits become 56x56 tiles. */
    public static final int DEFAULT_SCALE = 2;
    private static final Color BACKGROUND = new Color(0x80, 0x80, 0x80);

    private ImageGrid() {}

    /** Renders {@code images} into a {@code rows x cols} grid; {@code rowLabels} may be null or hold one label per row. */
    public static BufferedImage render(INDArray images, int rows, int cols, List<String> rowLabels, int scale) {
        if (rows <= 0 || cols <= 0)
            throw new IllegalArgumentException("image grid: rows and cols must be positive, got %d x %d".formatted(rows, cols));
        if (scale <= 0) throw new IllegalArgumentException("image grid: scale must be positive, got " + scale);
        if (images == null) throw new IllegalArgumentException("image grid: images are null");
        long[] s = images.shape();
        int h, w;
        if (s.length == 4 && s[1] == 1) {
            h = (int) s[2];
            w = (int) s[3];
        } else if (s.length == 2 && isSquare(s[1])) {
            h = w = (int) Math.round(Math.sqrt(s[1]));
        } else {
            throw new IllegalArgumentException("image grid: expected images (N, H*W) with H = W, or (N, 1, H, W), got "
                    + Arrays.toString(s));
        }
        int n = (int) s[0];
        if (n == 0) throw new IllegalArgumentException("image grid: no images, got shape " + Arrays.toString(s));
        if (n > rows * cols)
            throw new IllegalArgumentException("image grid: %d images do not fit %d rows x %d cols".formatted(n, rows, cols));
        if (rowLabels != null && rowLabels.size() != rows)
            throw new IllegalArgumentException("image grid: %d rows but %d row labels".formatted(rows, rowLabels.size()));
        double[] px = images.castTo(DataType.DOUBLE).dup('c').data().asDouble();     // (N H W), row-major

        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        int labelWidth = 0;
        if (rowLabels != null) {
            FontMetrics fm = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics().getFontMetrics(font);
            for (String l : rowLabels) labelWidth = Math.max(labelWidth, fm.stringWidth(l));
            labelWidth += 2 * GAP + 4;
        }
        int tileW = w * scale, tileH = h * scale;
        int width = labelWidth + GAP + cols * (tileW + GAP);
        int height = GAP + rows * (tileH + GAP);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, width, height);
        for (int k = 0; k < n; k++) {
            int x0 = labelWidth + GAP + (k % cols) * (tileW + GAP);
            int y0 = GAP + (k / cols) * (tileH + GAP);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = px[k * h * w + y * w + x];
                    int gray = (int) Math.round(255 * Math.max(0, Math.min(1, Double.isNaN(v) ? 0 : v)));
                    int rgb = (gray << 16) | (gray << 8) | gray;
                    for (int dy = 0; dy < scale; dy++)
                        for (int dx = 0; dx < scale; dx++) img.setRGB(x0 + x * scale + dx, y0 + y * scale + dy, rgb);
                }
            }
        }
        if (rowLabels != null) {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(font);
            g.setColor(Color.WHITE);
            FontMetrics fm = g.getFontMetrics();
            for (int r = 0; r < rows; r++) {
                int y = GAP + r * (tileH + GAP) + (tileH + fm.getAscent() - fm.getDescent()) / 2;
                g.drawString(rowLabels.get(r), GAP + 2, y);
            }
        }
        g.dispose();
        return img;
    }

    /** Writes a {@code rows x cols} grid at {@link #DEFAULT_SCALE}. */
    public static void write(INDArray images, int rows, int cols, Path png) throws IOException {
        write(images, rows, cols, null, png);
    }

    /** Writes a {@code rows x cols} grid with a label left of each row (null for none). */
    public static void write(INDArray images, int rows, int cols, List<String> rowLabels, Path png) throws IOException {
        LinePlot.writePng(render(images, rows, cols, rowLabels, DEFAULT_SCALE), png);
    }

    /** Writes all images side by side in one row. */
    public static void writeStrip(INDArray images, Path png) throws IOException {
        if (images == null || images.rank() < 1 || images.size(0) == 0)
            throw new IllegalArgumentException("image strip: expected at least one image, got "
                    + (images == null ? "null" : Arrays.toString(images.shape())));
        write(images, 1, (int) images.size(0), null, png);
    }

    private static boolean isSquare(long d) {
        long r = Math.round(Math.sqrt(d));
        return d > 0 && r * r == d;
    }
}
