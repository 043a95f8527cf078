package dev.tinygen.vaegan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageGridTest {
    @TempDir
    Path dir;

    private static int gray(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xFF;
    }

    @Test
    void gridReadsBackWithTheRightSizeAndPixels() throws Exception {
        INDArray images = Nd4j.zeros(DataType.FLOAT, 5, 784);
        images.putScalar(0, 0, 1.0);               // image 0, pixel (0, 0): white
        images.putScalar(4, 28 * 27 + 27, 0.5);    // image 4, pixel (27, 27): mid gray
        Path png = dir.resolve("sub/grid.png");   // the folder does not exist yet
        ImageGrid.write(images, 2, 3, png);
        BufferedImage img = ImageIO.read(png.toFile());
        // 3 tiles of 56 px with 2 px gaps around each: 2 + 3 * 58 wide, 2 + 2 * 58 high
        assertEquals(176, img.getWidth());
        assertEquals(118, img.getHeight());
        assertEquals(255, gray(img, 2, 2));
        assertEquals(255, gray(img, 3, 3));        // scale 2: a 2x2 block
        assertEquals(0, gray(img, 4, 2));          // pixel (1, 0) of image 0 is black
        assertEquals(0x80, gray(img, 0, 0));       // the gap
        // image 4 is row 1, col 1: its last pixel block ends at x = 2 + 58 + 55, y = 2 + 58 + 55
        assertEquals(128, gray(img, 2 + 58 + 55, 2 + 58 + 55));
        assertEquals(0x80, gray(img, 2 + 2 * 58 + 10, 2 + 58 + 10));  // tile 6 is left blank
    }

    @Test
    void fourDimensionalInputRowLabelsAndStrip() throws Exception {
        INDArray images = Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28);
        BufferedImage plain = ImageGrid.render(images, 2, 2, null, 1);
        BufferedImage labelled = ImageGrid.render(images, 2, 2, List.of("digit 0", "digit 1"), 1);
        assertEquals(2 + 2 * 30, plain.getWidth());
        assertTrue(labelled.getWidth() > plain.getWidth() + 20, "labels take a margin");
        assertEquals(plain.getHeight(), labelled.getHeight());
        Path strip = dir.resolve("strip.png");
        ImageGrid.writeStrip(images, strip);
        BufferedImage s = ImageIO.read(strip.toFile());
        assertEquals(2 + 4 * 58, s.getWidth());
        assertEquals(2 + 58, s.getHeight());
    }

    @Test
    void badShapesAndCountsAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> ImageGrid.render(Nd4j.zeros(DataType.FLOAT, 3, 99), 1, 3, null, 1));
        assertTrue(e.getMessage().contains("[3, 99]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImageGrid.render(Nd4j.zeros(DataType.FLOAT, 7, 784), 2, 3, null, 1));
        assertTrue(e.getMessage().contains("7 images do not fit 2 rows x 3 cols"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImageGrid.render(Nd4j.zeros(DataType.FLOAT, 2, 784), 2, 1, List.of("a"), 1));
        assertTrue(e.getMessage().contains("2 rows but 1 row labels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImageGrid.render(Nd4j.zeros(DataType.FLOAT, 0, 784), 1, 1, null, 1));
        assertTrue(e.getMessage().contains("no images"), e.getMessage());
    }
}
