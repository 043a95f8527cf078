package dev.tinygen.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import dev.tinygen.nn.GradCheck;
import dev.tinygen.nn.NoGrad;
import dev.tinygen.nn.Parameter;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.io.Checkpoint;
import dev.tinygen.nn.optim.AdamW;
import dev.tinygen.transformer.sample.GreedySampler;
import dev.tinygen.transformer.sample.TemperatureSampler;
import dev.tinygen.transformer.sample.TopKSampler;
import dev.tinygen.transformer.sample.TopPSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class GptTest {
    private static GptConfig tiny(PositionalEncoding pe) {
        return new GptConfig(11, 8, 2, 2, 8, 0.0, pe, false);
    }

    private static INDArray ids(Rng rng, int b, int t, int v) {
        int[][] x = new int[b][t];
        for (int[] row : x) for (int i = 0; i < t; i++) row[i] = rng.nextInt(v);
        return Nd4j.createFromArray(x);
    }

    @Test
    void untiedHeadHasGpt2sLayoutAndTyingIsCopyingWte() {
        GptConfig untied = GptConfig.nano(65);
        Gpt g = new Gpt(untied, new Rng(3));
        Map<String, Parameter> p = g.namedParameters();
        assertArrayEquals(new long[] {65, 48}, p.get("lm_head.weight").shape(), "Hugging Face's lm_head.weight is (V, C)");
        assertTrue(!p.containsKey("lm_head.bias"), "GPT-2's head has no bias: " + p.keySet());
        Gpt tied = new Gpt(untied.withTiedHead(true), new Rng(3));
        for (var e : tied.namedParameters().entrySet()) p.get(e.getKey()).value().assign(e.getValue().value());
        p.get("lm_head.weight").value().assign(p.get("wte.weight").value());
        INDArray ids = Nd4j.createFromArray(new int[][] {{1, 5, 9, 64}});
        assertEquals(tied.forward(ids).value(), g.forward(ids).value(), "an untied head equal to wte gives the tied logits");
    }

    @Test
    void parameterCountMatchesTheFormulaAndGpt2Names() {
        for (GptConfig c : List.of(GptConfig.cpuSmall(77), GptConfig.nano(65).withTiedHead(true),
                GptConfig.nano(50).withPositions(PositionalEncoding.ROTARY))) {
            Gpt g = new Gpt(c, new Rng(1));
            assertEquals(c.parameterCount(), g.parameterCount(), c.toString());
        }
        Gpt nano = new Gpt(GptConfig.nano(65), new Rng(1));
        String table = nano.parameterTable();
        assertTrue(table.contains("h.0.attn.c_attn.weight") && table.contains("[48, 144]") && table.contains("6,912"), table);
        assertTrue(table.strip().endsWith(String.format("%,d", nano.parameterCount())), table);
        Map<String, Parameter> p = nano.namedParameters();
        assertArrayEquals(new long[] {48, 144}, p.get("h.0.attn.c_attn.weight").shape());
        assertArrayEquals(new long[] {48, 192}, p.get("h.2.mlp.c_fc.weight").shape());
        assertArrayEquals(new long[] {192, 48}, p.get("h.2.mlp.c_proj.weight").shape());
        for (String n : List.of("wte.weight", "wpe.weight", "h.1.ln_1.weight", "h.1.ln_2.bias", "h.0.attn.c_proj.bias",
                "ln_f.weight", "ln_f.bias"))
            assertTrue(p.containsKey(n), n + " in " + p.keySet());
    }

    @ParameterizedTest
    @EnumSource(PositionalEncoding.class)
    void laterTokensNeverChangeEarlierLogits(PositionalEncoding pe) {
        Rng rng = new Rng(2);
        Gpt g = new Gpt(tiny(pe), new Rng(3));
        INDArray x = ids(rng, 2, 8, 11);
        INDArray y = x.dup();
        y.putScalar(0, 6, (x.getInt(0, 6) + 1) % 11);
        y.putScalar(1, 7, (x.getInt(1, 7) + 3) % 11);
        try (NoGrad ignored = NoGrad.scope()) {
            INDArray a = g.forward(x).value(), b = g.forward(y).value();
            INDArray early = a.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 6));
            assertEquals(0.0, early.sub(b.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 6))).amaxNumber().doubleValue(), 1e-6);
            assertTrue(a.get(NDArrayIndex.point(0), NDArrayIndex.point(7)).sub(b.get(NDArrayIndex.point(0), NDArrayIndex.point(7)))
                    .amaxNumber().doubleValue() > 1e-6);
        }
    }

    @ParameterizedTest
    @EnumSource(value = PositionalEncoding.class, names = {"LEARNED", "ROTARY"})
    void wholeTinyGptPassesTheFloat64GradientCheck(PositionalEncoding pe) {
        Gpt g = new Gpt(new GptConfig(7, 4, 1, 2, 4, 0.0, pe, true), new Rng(4));
        g.to(DataType.DOUBLE);
        INDArray x = ids(new Rng(5), 2, 4, 7);
        GradCheck.Result r = GradCheck.checkParameters(g.parameters(), () -> g.forward(x), GradCheck.EPS, GradCheck.TOLERANCE);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void overfitsOneBatch() {
        GptConfig c = new GptConfig(13, 16, 2, 2, 32, 0.0, PositionalEncoding.LEARNED, false);
        Gpt g = new Gpt(c, new Rng(6));
        INDArray x = ids(new Rng(7), 4, 16, 13), y = ids(new Rng(8), 4, 16, 13);
        AdamW opt = new AdamW(g.namedParameters(), 3e-3, 0.9, 0.99, 1e-8, 0.0);
        double loss = Double.NaN;
        for (int i = 0; i < 300; i++) {
            Tensor l = g.loss(x, y);
            loss = l.item();
            l.backward();
            opt.step();
            opt.zeroGrad();
        }
        assertTrue(loss < 0.05, "loss after 300 steps on one batch: " + loss);
    }

    @Test
    void saveThenLoadGivesIdenticalLogits(@TempDir Path dir) throws Exception {
        GptConfig c = tiny(PositionalEncoding.LEARNED);
        Gpt a = new Gpt(c, new Rng(9));
        Gpt b = new Gpt(c, new Rng(10));
        INDArray x = ids(new Rng(11), 2, 8, 11);
        Path f = dir.resolve("gpt.safetensors");
        Checkpoint.save(f, a, null, Map.of("config", c.toProperties()));
        Checkpoint.load(f, b, null);
        try (NoGrad ignored = NoGrad.scope()) {
            assertEquals(0.0, a.forward(x).value().sub(b.forward(x).value()).amaxNumber().doubleValue(), 0.0);
        }
    }

    @ParameterizedTest
    @EnumSource(value = PositionalEncoding.class, names = {"LEARNED", "SINUSOIDAL", "ROTARY"})
    void cachedGenerationEqualsUncached(PositionalEncoding pe) {
        Gpt g = new Gpt(tiny(pe), new Rng(12));
        Generator gen = new Generator(g);
        int[] prompt = {1, 2, 3};
        for (var sampler : List.of(new GreedySampler(), new TemperatureSampler(1.0), new TopKSampler(3, 0.8),
                new TopPSampler(0.9, 1.0))) {
            // 20 new tokens run past the block size of 8, exercising the refill of a full cache
            int[] cached = gen.generate(prompt, Generator.Options.of(20, sampler, 42));
            int[] uncached = gen.generate(prompt, Generator.Options.of(20, sampler, 42).withCache(false));
            assertArrayEquals(uncached, cached, sampler.getClass().getSimpleName());
            assertEquals(23, cached.length);
        }
    }

    @ParameterizedTest
    @EnumSource(PositionalEncoding.class)
    void cachedDecoderLogitsEqualTheModelsAtEveryPosition(PositionalEncoding pe) {
        for (boolean tied : new boolean[] {false, true}) {
            Gpt g = new Gpt(new GptConfig(11, 8, 2, 2, 8, 0.0, pe, tied), new Rng(14));
            g.to(DataType.FLOAT);
            INDArray x = ids(new Rng(15), 1, 8, 11);
            INDArray full;
            try (NoGrad ignored = NoGrad.scope()) {
                full = g.forward(x).value();                                           // (1, 8, V)
            }
            CachedDecoder d = new CachedDecoder(g);
            for (int t = 0; t < 8; t++) {
                float[] step = d.step(x.getInt(0, t));
                for (int v = 0; v < 11; v++)
                    assertEquals(full.getDouble(0, t, v), step[v], 1e-5, pe + " tied=" + tied + " position " + t + " token " + v);
            }
            assertThrows(IllegalStateException.class, () -> d.step(0));
            assertThrows(IllegalArgumentException.class, () -> new CachedDecoder(g).step(11));
        }
    }

    @Test
    void badInputsAreReported() {
        Gpt g = new Gpt(tiny(PositionalEncoding.LEARNED), new Rng(13));
        var e1 = assertThrows(IllegalArgumentException.class, () -> g.forward(Nd4j.createFromArray(new int[][] {{1, 11}})));
        assertTrue(e1.getMessage().contains("token id 11 is outside the vocabulary of 11"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> g.forward(ids(new Rng(1), 1, 9, 11)));
        assertTrue(e2.getMessage().contains("length 9, block size is only 8"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> new GptConfig(11, 8, 2, 3, 8, 0, PositionalEncoding.LEARNED, false));
        assertTrue(e3.getMessage().contains("nEmbd (8) must be divisible by nHead (3)"), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class,
                () -> new Generator(g).generate(new int[] {3, 40}, Generator.Options.of(5, new GreedySampler(), 1)));
        assertTrue(e4.getMessage().contains("token id 40"), e4.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TokenWindows("the corpus", new int[5], 8));
        int[] longPrompt = new int[12];
        var e5 = assertThrows(IllegalArgumentException.class,
                () -> new Generator(g).generate(longPrompt, Generator.Options.of(2, new GreedySampler(), 1)));
        assertTrue(e5.getMessage().contains("the prompt has 12 tokens, more than the block size 8"), e5.getMessage());
        assertEquals(14, new Generator(g).generate(longPrompt, Generator.Options.of(2, new GreedySampler(), 1).withCropPrompt(true)).length);
        assertThrows(IllegalArgumentException.class,
                () -> new Generator(g).generate(new int[0], Generator.Options.of(5, new GreedySampler(), 1)));
    }
}
