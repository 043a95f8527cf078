package dev.tinygen.vaegan.gan;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import dev.tinygen.nn.plot.LinePlot;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Grey 28 x 28 digits laid out in a grid with 2-pixel gaps, and grids stacked into a strip, as PNG: the small
 * writer the GAN trainer and the draw command use.
 */
public final class DigitGrid {
    private static final int SIDE = 28;
    private static final int GAP = 2;

    private DigitGrid() {}

    /** Images (N, 784) in [0, 1], row-major into {@code cols} columns, white digits on black. */
    static BufferedImage render(INDArray images, int cols) {
        int n = (int) images.size(0);
        if (n < 1 || cols < 1) throw new IllegalArgumentException("digit grid: need >= 1 image and column, got %d and %d".formatted(n, cols));
        int rows = (n + cols - 1) / cols;
        BufferedImage img = new BufferedImage(GAP + cols * (SIDE + GAP), GAP + rows * (SIDE + GAP), BufferedImage.TYPE_BYTE_GRAY);
        float[] px = images.castTo(DataType.FLOAT).dup('c').data().asFloat();
        for (int i = 0; i < n; i++) {
            int x0 = GAP + (i % cols) * (SIDE + GAP), y0 = GAP + (i / cols) * (SIDE + GAP);
            for (int y = 0; y < SIDE; y++)
                for (int x = 0; x < SIDE; x++) {
                    int g = Math.round(255 * Math.max(0f, Math.min(1f, px[i * SIDE * SIDE + y * SIDE + x])));
                    img.getRaster().setSample(x0 + x, y0 + y, 0, g);
                }
        }
        return img;
    }

    /** Writes {@link #render} to {@code png}. */
    public static void write(INDArray images, int cols, Path png) throws IOException {
        LinePlot.writePng(render(images, cols), png);
    }

    /** One image per element of {@code rows}, stacked top to bottom (each a row of the same width). */
    static void writeStrip(List<BufferedImage> rows, Path png) throws IOException {
        if (rows.isEmpty()) throw new IllegalArgumentException("digit strip: no rows");
        int w = rows.get(0).getWidth(), h = 0;
        for (BufferedImage r : rows) h += r.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        int y = 0;
        for (BufferedImage r : rows) {
            out.getGraphics().drawImage(r, 0, y, null);
            y += r.getHeight();
        }
        LinePlot.writePng(out, png);
    }
}
