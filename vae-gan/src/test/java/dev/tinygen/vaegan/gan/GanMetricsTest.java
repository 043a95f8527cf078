package dev.tinygen.vaegan.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GanMetricsTest {
    private static final double[][] P = {
            {0.95, 0.05, 0.00},   // confident 0
            {0.10, 0.89, 0.01},   // not confident (0.89 < 0.9)
            {0.00, 0.05, 0.95},   // confident 2
            {0.02, 0.90, 0.08},   // confident 1 (exactly 0.9 counts)
            {0.91, 0.09, 0.00}};  // confident 0

    @Test
    void countsConfidentLabelsByClass() {
        int[] per = GanMetrics.confidentPerClass(P);
        assertArrayEquals(new int[] {2, 1, 1}, per);
        assertEquals(3, GanMetrics.classesPresent(per));
        assertEquals(2, GanMetrics.classesPresent(new int[] {0, 4, 0, 1}));
    }

    @Test
    void agreementWithRequestedLabels() {
        // predictions 0, 1, 2, 1, 0 against requests 0, 1, 1, 1, 2: three agree
        assertEquals(0.6, GanMetrics.agreement(P, new int[] {0, 1, 1, 1, 2}), 1e-15);
    }

    @Test
    void rejectsMismatchedOrEmptyInput() {
        assertThrows(IllegalArgumentException.class, () -> GanMetrics.agreement(P, new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> GanMetrics.confidentPerClass(new double[0][]));
    }
}
