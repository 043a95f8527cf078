package dev.tinygen.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinygen.nn.NoGrad;
import dev.tinygen.nn.Rng;
import dev.tinygen.transformer.Gpt;
import dev.tinygen.transformer.GptConfig;
import dev.tinygen.transformer.PositionalEncoding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class AttentionMapsTest {
    private static final int[] IDS = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5};

    @ParameterizedTest
    @EnumSource(PositionalEncoding.class)
    void replayGivesTheModelsOwnLogitsAndCausalRowsSummingToOne(PositionalEncoding kind) {
        Gpt gpt = new Gpt(new GptConfig(12, 16, 2, 2, 16, 0.0, kind, kind == PositionalEncoding.SINUSOIDAL), new Rng(5));
        gpt.to(DataType.DOUBLE);
        AttentionMaps maps = AttentionMaps.of(gpt, IDS);
        double[][] expected;
        try (NoGrad ignored = NoGrad.scope()) {
            gpt.eval();
            expected = gpt.forward(Nd4j.createFromArray(IDS).reshape(1, IDS.length)).value().reshape(IDS.length, 12).toDoubleMatrix();
        }
        for (int t = 0; t < IDS.length; t++)
            for (int v = 0; v < 12; v++) assertEquals(expected[t][v], maps.logits()[t][v], 1e-10, "logit " + t + "," + v);
        assertEquals(2, maps.layers());
        assertEquals(2, maps.heads());
        for (int l = 0; l < 2; l++)
            for (int h = 0; h < 2; h++) {
                double[][] w = maps.weights(l, h);
                for (int q = 0; q < w.length; q++) {
                    double s = 0;
                    for (int k = 0; k < w.length; k++) {
                        if (k > q) assertEquals(0.0, w[q][k], 1e-12, "no attention to the future");
                        s += w[q][k];
                    }
                    assertEquals(1.0, s, 1e-9);
                }
            }
    }

    @Test
    void summaryOfKnownPatterns() {
        int t = 5;
        double[][] self = new double[t][t], prev = new double[t][t];
        for (int i = 0; i < t; i++) {
            self[i][i] = 1;
            prev[i][Math.max(0, i - 1)] = 1;
        }
        AttentionMaps.HeadSummary s = AttentionMaps.summarize(self);
        assertEquals(0.0, s.meanDistance());
        assertEquals(0.0, s.previousToken());
        assertEquals(0.0, s.entropy());
        AttentionMaps.HeadSummary p = AttentionMaps.summarize(prev);
        assertEquals(4.0 / 5, p.meanDistance(), 1e-12);
        assertEquals(1.0, p.previousToken(), 1e-12);
        double[][] uniform = new double[2][2];
        uniform[0][0] = 1;
        uniform[1][0] = uniform[1][1] = 0.5;
        assertEquals(Math.log(2) / 2, AttentionMaps.summarize(uniform).entropy(), 1e-12);
    }

    @Test
    void refusesASequenceLongerThanTheBlock() {
        Gpt gpt = new Gpt(GptConfig.nano(10).withBlockSize(4), new Rng(1));
        var e = assertThrows(IllegalArgumentException.class, () -> AttentionMaps.of(gpt, new int[] {1, 2, 3, 4, 5}));
        assertTrue(e.getMessage().contains("5 tokens") && e.getMessage().contains("4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AttentionMaps.of(gpt, new int[] {1, 10}));
        assertTrue(e.getMessage().contains("token id 10"), e.getMessage());
    }
}
