package dev.tinygen.transformer.bigram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinygen.nn.Rng;
import dev.tinygen.transformer.tokenizer.CharTokenizer;
import dev.tinygen.transformer.tokenizer.WordTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BigramModelTest {
    // "abcabcabd" as chars a=0 b=1 c=2 d=3: a->b 3, b->c 2, b->d 1, c->a 2; d is never followed.
    private static final CharTokenizer CHARS = CharTokenizer.fromText("abcd");
    private static final int[] TINY = CHARS.encode("abcabcabd");

    @Test
    void nllEqualsTheHandComputedValue() {
        BigramModel m = BigramModel.fit(TINY, 4);
        // P(b|a) = 3/3, P(c|b) = 2/3, P(a|c) = 2/2, P(d|b) = 1/3; P(c|a) = 0/3, so "ac" is infinitely unlikely.
        assertEquals(-(Math.log(1) + Math.log(2.0 / 3) + Math.log(1)) / 3, m.nll(CHARS.encode("abca")), 1e-12);
        assertEquals(-(Math.log(1) + Math.log(1.0 / 3)) / 2, m.nll(CHARS.encode("abd")), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, m.nll(CHARS.encode("ac")));
        // d was never followed: its row is uniform.
        assertEquals(Math.log(4), m.nll(CHARS.encode("da")), 1e-12);

        BigramModel k1 = BigramModel.fit(TINY, 4, 1.0);
        // add-1: P(b|a) = 4/7, P(c|b) = 3/7, P(d|c) = 1/6.
        assertEquals(-(Math.log(4.0 / 7) + Math.log(3.0 / 7) + Math.log(1.0 / 6)) / 3, k1.nll(CHARS.encode("abcd")), 1e-12);
        assertEquals(Math.log(4), k1.nll(CHARS.encode("da")), 1e-12);
    }

    @Test
    void nllMatchesADenseCountTableOnACorpus() {
        String text = read("/shakes.txt");
        CharTokenizer tok = CharTokenizer.fromText(text);
        int[] ids = tok.encode(text);
        int split = ids.length * 9 / 10;
        int[] train = Arrays.copyOfRange(ids, 0, split);
        int[] val = Arrays.copyOfRange(ids, split, ids.length);
        int v = tok.vocabSize();
        double k = 0.5;
        double[][] counts = new double[v][v];
        for (int t = 0; t + 1 < train.length; t++) counts[train[t]][train[t + 1]]++;
        double expected = 0;
        for (int t = 0; t + 1 < val.length; t++) {
            double row = Arrays.stream(counts[val[t]]).sum();
            double p = row == 0 ? 1.0 / v : (counts[val[t]][val[t + 1]] + k) / (row + k * v);
            expected -= Math.log(p);
        }
        expected /= val.length - 1;
        BigramModel m = BigramModel.fit(train, v, k);
        assertEquals(expected, m.nll(val), 1e-9);
        System.out.printf("bigram baseline, Macbeth by character (V=%d): val nll %.4f nats, uniform would be %.4f%n",
                v, m.nll(val), Math.log(v));
    }

    @Test
    void countsAndTopFollowers() {
        BigramModel m = BigramModel.fit(TINY, 4);
        assertEquals(3, m.count(0, 1));
        assertEquals(0, m.count(0, 2));
        assertEquals(3, m.rowCount(1));
        List<BigramModel.Follower> afterB = m.topFollowers(1, 5);
        assertEquals(List.of(new BigramModel.Follower(2, 2, 2.0 / 3), new BigramModel.Follower(3, 1, 1.0 / 3)), afterB);
        assertEquals(1, m.topFollowers(1, 1).size());
        assertTrue(m.topFollowers(3, 3).isEmpty());
    }

    @Test
    void afterTheComesWhatDickensWrote() {
        String text = read("/dickens.txt");
        WordTokenizer words = WordTokenizer.builder().maxVocab(3000).build(text);
        BigramModel m = BigramModel.fit(words.encode(text), words.vocabSize(), 0.1);
        int the = words.idOf("the");
        List<BigramModel.Follower> top = m.topFollowers(the, 5);
        StringBuilder line = new StringBuilder("after 'the' comes:");
        for (BigramModel.Follower f : top) line.append(String.format(" %s (%.3f)", words.wordOf(f.id()), f.probability()));
        System.out.println(line);
        assertEquals(5, top.size());
        for (int i = 1; i < top.size(); i++) assertTrue(top.get(i - 1).count() >= top.get(i).count());
        assertEquals(m.count(the, top.get(0).id()), top.get(0).count());
    }

    @Test
    void greedyGenerationFollowsTheMostFrequentSuccessor() {
        BigramModel m = BigramModel.fit(TINY, 4);
        assertEquals("bcabca", CHARS.decode(m.generateGreedy(0, 6)));
        // d has no successor: its uniform row gives id 0, then the cycle.
        assertEquals("abc", CHARS.decode(m.generateGreedy(3, 3)));
        assertEquals(0, m.generateGreedy(0, 0).length);
    }

    @Test
    void sameSeedSameSampleAndFrequenciesMatchTheModel() {
        BigramModel m = BigramModel.fit(TINY, 4, 0.5);
        assertArrayEquals(m.sample(0, 200, new Rng(42)), m.sample(0, 200, new Rng(42)));
        assertFalse(Arrays.equals(m.sample(0, 200, new Rng(42)), m.sample(0, 200, new Rng(43))));
        assertArrayEquals(m.sampleTopK(1, 200, 2, new Rng(5)), m.sampleTopK(1, 200, 2, new Rng(5)));

        // From b, one step at a time: P = (2+.5, 1+.5, .5, .5) / 5 for (c, d, a, b)
        Rng rng = new Rng(1);
        int[] seen = new int[4];
        int draws = 40_000;
        for (int i = 0; i < draws; i++) seen[m.sample(1, 1, rng)[0]]++;
        for (int j = 0; j < 4; j++) {
            assertEquals(m.probability(1, j), seen[j] / (double) draws, 0.01, "P(" + j + " | b)");
        }
    }

    @Test
    void topKDrawsOnlyFromTheKMostProbable() {
        BigramModel m = BigramModel.fit(TINY, 4, 0.5);
        int[] seen = new int[4];
        Rng rng = new Rng(3);
        for (int i = 0; i < 20_000; i++) seen[m.sampleTopK(1, 1, 2, rng)[0]]++;
        assertEquals(0, seen[0] + seen[1]);
        assertEquals(2.5 / 4.0, seen[2] / 20_000.0, 0.015);   // c and d renormalised: 2.5 : 1.5
        // top-1 is greedy.
        assertArrayEquals(m.generateGreedy(0, 50), m.sampleTopK(0, 50, 1, new Rng(9)));
        // With smoothing, k larger than the seen successors reaches unseen ids, lowest first.
        seen = new int[4];
        for (int i = 0; i < 4_000; i++) seen[m.sampleTopK(0, 1, 2, rng)[0]]++;
        assertTrue(seen[0] > 0 && seen[1] > 0 && seen[2] == 0 && seen[3] == 0, Arrays.toString(seen));
        // Without smoothing, only successors actually seen.
        BigramModel plain = BigramModel.fit(TINY, 4);
        for (int i = 0; i < 300; i++) assertEquals(1, plain.sampleTopK(0, 1, 4, rng)[0]);
    }

    @Test
    void badInputsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BigramModel.fit(new int[] {1, 812, 3}, 77));
        assertEquals("token id 812 is outside the vocabulary of 77 (at index 1)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BigramModel.fit(new int[] {}, 77));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BigramModel.fit(new int[] {1, 2}, 77, -1));
        assertTrue(e.getMessage().contains("-1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BigramModel.fit(new int[] {1, 2}, 77, Double.NaN));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BigramModel.fit(new int[] {1, 2}, 0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());

        BigramModel m = BigramModel.fit(TINY, 4);
        e = assertThrows(IllegalArgumentException.class, () -> m.nll(new int[] {0}));
        assertTrue(e.getMessage().contains("got 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.nll(new int[] {0, 1, 4}));
        assertEquals("token id 4 is outside the vocabulary of 4 (at index 2)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.topFollowers(-1, 3));
        assertEquals("token id -1 is outside the vocabulary of 4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.topFollowers(0, 0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.generateGreedy(7, 3));
        assertEquals("token id 7 is outside the vocabulary of 4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.sample(0, -2, new Rng(1)));
        assertTrue(e.getMessage().contains("got -2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.sampleTopK(0, 3, 0, new Rng(1)));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.probability(0, 9));
        assertEquals("token id 9 is outside the vocabulary of 4", e.getMessage());
    }

    private static String read(String resource) {
        try (InputStream in = BigramModelTest.class.getResourceAsStream(resource)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
