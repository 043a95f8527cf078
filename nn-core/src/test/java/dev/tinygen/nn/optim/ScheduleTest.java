package dev.tinygen.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScheduleTest {
    @Test
    void warmupCosineAtItsLandmarks() {
        WarmupCosine s = new WarmupCosine(6e-4, 100, 1100, 6e-5);
        assertEquals(0.0, s.at(0), 0);
        assertEquals(6e-4 * 0.5, s.at(50), 1e-18);
        assertEquals(6e-4 * 99 / 100, s.at(99), 1e-18);
        assertEquals(6e-4, s.at(100), 1e-18);                              // warmup end: the peak
        assertEquals((6e-4 + 6e-5) / 2, s.at(600), 1e-18);                // midpoint of the decay
        double quarter = 6e-5 + 0.5 * (1 + Math.cos(Math.PI / 4)) * (6e-4 - 6e-5);
        assertEquals(quarter, s.at(350), 1e-18);
        assertEquals(6e-5, s.at(1100), 1e-18);                            // end
        assertEquals(6e-5, s.at(1101), 0);                                // after the end
        assertEquals(6e-5, s.at(1_000_000), 0);
        for (int i = 100; i < 1100; i++) assertTrue(s.at(i + 1) <= s.at(i), "decreasing at " + i);
    }

    @Test
    void noWarmupStartsAtThePeak() {
        WarmupCosine s = new WarmupCosine(1.0, 0, 10, 0.0);
        assertEquals(1.0, s.at(0), 0);
        assertEquals(0.5, s.at(5), 1e-15);
        assertEquals(0.0, s.at(10), 1e-15);
    }

    @Test
    void constantIsConstant() {
        Constant c = new Constant(3e-4);
        assertEquals(3e-4, c.at(0));
        assertEquals(3e-4, c.at(123456));
    }

    @Test
    void badSettingsAreReported() {
        var e = assertThrows(IllegalArgumentException.class, () -> new WarmupCosine(1e-3, 100, 100, 0));
        assertTrue(e.getMessage().contains("(100)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new WarmupCosine(1e-3, 10, 100, 2e-3));
        assertTrue(e.getMessage().contains("0.002"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new WarmupCosine(-1e-3, 10, 100, 0));
        assertTrue(e.getMessage().contains("-0.001"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new WarmupCosine(1e-3, -1, 100, 0));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new WarmupCosine(1e-3, 10, 100, 0).at(-3));
        assertTrue(e.getMessage().contains("-3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Constant(Double.NaN));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }
}
