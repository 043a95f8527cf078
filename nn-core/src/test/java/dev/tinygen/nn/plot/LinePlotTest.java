package dev.tinygen.nn.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinePlotTest {
    // Plot area 100..500 x 50..350; legend 80 x 40; corners sit 8 pixels in from the edges.
    private static int[] box(List<int[]> points) {
        return LinePlot.legendBox(points, 100, 50, 400, 300, 80, 40);
    }

    private static List<int[]> fill(int x0, int y0, int x1, int y1) {
        List<int[]> pts = new ArrayList<>();
        for (int x = x0; x <= x1; x += 5)
            for (int y = y0; y <= y1; y += 5) pts.add(new int[] {x, y});
        return pts;
    }

    @Test
    void ticksAreRoundNumbersInsideTheRange() {
        assertArrayEquals(new double[] {10, 20, 30, 40, 50}, LinePlot.niceTicks(1, 50), 1e-12);
        assertArrayEquals(new double[] {0.9, 1.0, 1.1, 1.2, 1.3}, LinePlot.niceTicks(0.87, 1.31), 1e-12);
        assertArrayEquals(new double[] {-2, 0, 2, 4, 6}, LinePlot.niceTicks(-3, 7), 1e-12);
        assertArrayEquals(new double[] {0, 0.0005, 0.001, 0.0015, 0.002}, LinePlot.niceTicks(0, 0.002), 1e-15);
        for (double[] r : new double[][] {{1, 2}, {1e-3, 5e4}, {-7.3, -7.1}, {3, 1000}}) {
            double[] t = LinePlot.niceTicks(r[0], r[1]);
            assertTrue(t.length >= 4 && t.length <= 10, java.util.Arrays.toString(r) + " gave " + t.length + " ticks");
            assertTrue(t[0] >= r[0] - 1e-9 && t[t.length - 1] <= r[1] + 1e-9, java.util.Arrays.toString(t));
        }
    }

    @Test
    void legendTakesTheEmptiestCornerTopRightFirst() {
        assertArrayEquals(new int[] {412, 58}, box(List.of()), "no points: top right");
        List<int[]> topRight = fill(400, 50, 500, 120);                                   // a curve's plateau
        assertArrayEquals(new int[] {108, 58}, box(topRight), "top right taken: top left");
        List<int[]> top = fill(100, 50, 500, 120);
        assertArrayEquals(new int[] {412, 302}, box(top), "the whole top taken: bottom right");
        List<int[]> most = new ArrayList<>(top);
        most.addAll(fill(400, 280, 500, 350));
        assertArrayEquals(new int[] {108, 302}, box(most), "only bottom left free");
    }

    @Test
    void rendersTheRequestedSizeAndRefusesMismatchedSeries() {
        double[] x = {0, 0.1, 0.2, 0.5, 1}, y = {0, 0.7, 0.9, 0.98, 1};                 // a ROC curve
        BufferedImage img = new LinePlot("roc", "fpr", "tpr").size(400, 300).series("ROC", x, y)
                .series("chance", new double[] {0, 1}, new double[] {0, 1}).render();
        assertEquals(400, img.getWidth());
        assertEquals(300, img.getHeight());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LinePlot("t", "x", "y").series("s", new double[] {1, 2}, new double[] {1}));
        assertTrue(e.getMessage().contains("2 x values but 1 y values"), e.getMessage());
    }
}
