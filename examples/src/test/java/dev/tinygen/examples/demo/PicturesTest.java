package dev.tinygen.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PicturesTest {
    @TempDir Path dir;

    @Test
    void heatmapWritesAPngWhoseCellsFollowTheColourScale() throws Exception {
        double[][] m = {{0, 1}, {0.5, 0}};
        Heatmap h = new Heatmap("t", m).rows(List.of("a", "b")).columns(List.of("a", "b")).range(0, 1).cellSize(20);
        BufferedImage img = h.render();
        Path png = dir.resolve("h.png");
        h.write(png);
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(img.getWidth(), back.getWidth());
        assertEquals(img.getHeight(), back.getHeight());
        assertEquals(h.color(0).getRGB(), h.color(-5).getRGB(), "values below the range clamp to its low end");
        assertEquals(new Color(0x440154), h.color(0));
        assertEquals(new Color(0xfde725), h.color(1));
        assertNotEquals(h.color(0.5).getRGB(), h.color(0).getRGB());
        int found = 0;                                            // the image holds both ends of the scale
        for (int y = 0; y < back.getHeight(); y++)
            for (int x = 0; x < back.getWidth(); x++) {
                int rgb = back.getRGB(x, y) & 0xffffff;
                if (rgb == 0x440154 || rgb == 0xfde725) found |= rgb == 0x440154 ? 1 : 2;
            }
        assertEquals(3, found);
    }

    @Test
    void divergingScaleIsWhiteAtZero() {
        Heatmap h = new Heatmap("d", new double[][] {{-1, 1}}).diverging(true).range(-1, 1);
        assertEquals(Color.WHITE, h.color(0.5));
    }

    @Test
    void scatterAndTileHaveTheRequestedSizes() throws Exception {
        ScatterPlot s = new ScatterPlot("s", "x", "y").size(400, 300).point(0, 0, "a", "g1").point(1, 2, "b", "g2");
        Path png = dir.resolve("s.png");
        s.write(png);
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(400, back.getWidth());
        assertEquals(300, back.getHeight());
        BufferedImage p = new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB);
        BufferedImage t = Heatmap.tile(List.of(p, p, p), 2);
        assertEquals(60, t.getWidth());
        assertEquals(40, t.getHeight());
    }

    @Test
    void csvQuotesAndChecksColumns() throws Exception {
        Csv c = new Csv("a", "b").row("x,y", 1.5).row("q\"", 2);
        assertEquals("a,b\n\"x,y\",1.50000\n\"q\"\"\",2\n", c.render());
        Path f = dir.resolve("c.csv");
        c.write(f);
        assertEquals(c.render(), Files.readString(f));
        var e = assertThrows(IllegalArgumentException.class, () -> c.row(1));
        assertTrue(e.getMessage().contains("has 1"), e.getMessage());
    }

    @Test
    void figuresAreOneLineOfJsonWithNullForNonFinite() {
        String json = new Figures().put("a", 1).put("b", Double.NaN).put("c", "x\n\"y\"").put("d", 0.5).toJson();
        assertEquals("{\"a\":1,\"b\":null,\"c\":\"x\\n\\\"y\\\"\",\"d\":0.500000}", json);
    }

    @Test
    void heatmapAndScatterRefuseBadInput() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Heatmap("x", new double[][] {{1, 2}}).rows(List.of("a", "b")));
        assertTrue(e.getMessage().contains("2 row labels for 1 rows"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ScatterPlot("s", "x", "y").point(Double.NaN, 0, "a", ""));
    }

    @Test
    void cosineNeighboursAreOrderedAndExcludeTheQuery() {
        double[][] t = {{1, 0}, {1, 0.1}, {0, 1}, {-1, 0}};
        var n = CosineSimilarity.nearest(t, 0, 3);
        assertEquals(List.of(1, 2, 3), n.stream().map(CosineSimilarity.Neighbour::id).toList());
        assertEquals(1 / Math.sqrt(1.01), n.get(0).similarity(), 1e-12);
        assertEquals(-1.0, n.get(2).similarity(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> CosineSimilarity.nearest(t, 4, 1));
    }
}
