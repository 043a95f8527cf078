package dev.tinygen.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinygen.nn.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DataLoaderTest {
    private static List<int[]> epoch(DataLoader<int[]> loader) {
        List<int[]> out = new ArrayList<>();
        loader.forEach(out::add);
        return out;
    }

    @Test
    void everyIndexOncePerEpochWithTheLastBatchSmaller() {
        for (int n : new int[] {1, 7, 10, 64}) {
            for (int bs : new int[] {1, 3, 10, 100}) {
                DataLoader<int[]> loader = DataLoader.indices(n, bs, new Rng(n * 31L + bs));
                assertEquals((n + bs - 1) / bs, loader.batchesPerEpoch());
                for (int e = 0; e < 3; e++) {
                    List<int[]> batches = epoch(loader);
                    assertEquals(loader.batchesPerEpoch(), batches.size());
                    int[] seen = new int[n];
                    for (int b = 0; b < batches.size(); b++) {
                        assertEquals(b < batches.size() - 1 ? bs : n - bs * (batches.size() - 1), batches.get(b).length);
                        for (int i : batches.get(b)) seen[i]++;
                    }
                    int[] ones = new int[n];
                    Arrays.fill(ones, 1);
                    assertArrayEquals(ones, seen, "n=" + n + " bs=" + bs + " epoch " + e);
                }
            }
        }
    }

    @Test
    void dropLastDropsOnlyTheShortTail() {
        DataLoader<int[]> loader = DataLoader.indices(10, 3, new Rng(1)).dropLast(true);
        assertEquals(3, loader.batchesPerEpoch());
        List<int[]> batches = epoch(loader);
        assertEquals(3, batches.size());
        long distinct = batches.stream().flatMapToInt(IntStream::of).distinct().count();
        assertEquals(9, distinct);
        for (int[] b : batches) assertEquals(3, b.length);
        assertEquals(2, DataLoader.indices(8, 4, new Rng(1)).dropLast(true).batchesPerEpoch());
        assertEquals(0, epoch(DataLoader.indices(2, 3, new Rng(1)).dropLast(true)).size());
    }

    @Test
    void sameSeedSameOrderNewOrderEachEpoch() {
        DataLoader<int[]> a = DataLoader.indices(50, 8, new Rng(42));
        DataLoader<int[]> b = DataLoader.indices(50, 8, new Rng(42));
        List<List<int[]>> epochsA = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            List<int[]> ea = epoch(a);
            List<int[]> eb = epoch(b);
            for (int i = 0; i < ea.size(); i++) assertArrayEquals(ea.get(i), eb.get(i), "epoch " + e + " batch " + i);
            epochsA.add(ea);
        }
        assertNotEquals(Arrays.toString(epochsA.get(0).get(0)), Arrays.toString(epochsA.get(1).get(0)), "reshuffled each epoch");
        List<int[]> other = epoch(DataLoader.indices(50, 8, new Rng(43)));
        assertNotEquals(Arrays.toString(epochsA.get(0).get(0)), Arrays.toString(other.get(0)), "another seed, another order");
        List<int[]> plain = epoch(DataLoader.indices(5, 2, null).shuffle(false));
        assertArrayEquals(new int[] {0, 1}, plain.get(0));
        assertArrayEquals(new int[] {4}, plain.get(2));
    }

    @Test
    void datasetBatchesAreListsOfExamples() {
        Dataset<String> words = new Dataset<>() {
            @Override public int size() {
                return 4;
            }

            @Override public String get(int i) {
                return "w" + i;
            }
        };
        List<List<String>> batches = new ArrayList<>();
        DataLoader.of(words, 3, null).shuffle(false).forEach(batches::add);
        assertEquals(List.of(List.of("w0", "w1", "w2"), List.of("w3")), batches);
    }

    @Test
    void badArgumentsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> DataLoader.indices(10, 0, new Rng(1)));
        assertTrue(e.getMessage().contains("batch size must be positive, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DataLoader.indices(-3, 2, new Rng(1)));
        assertTrue(e.getMessage().contains("-3"), e.getMessage());
        var s = assertThrows(IllegalStateException.class, () -> DataLoader.indices(3, 2, null).iterator());
        assertTrue(s.getMessage().contains("shuffle(false)"), s.getMessage());
        var it = DataLoader.indices(3, 2, new Rng(1)).iterator();
        it.next();
        it.next();
        var done = assertThrows(java.util.NoSuchElementException.class, it::next);
        assertTrue(done.getMessage().contains("2 batches"), done.getMessage());
    }

    @Test
    void tensorDatasetGathersTheRightRowsAndReusesFullBatchArrays() {
        Rng rng = new Rng(9);
        INDArray x = rng.normal(DataType.FLOAT, 1, 11, 2, 3);  // (N, 2, 3)
        int[] y = IntStream.range(0, 11).map(i -> 100 + i).toArray();
        TensorDataset ds = new TensorDataset(x, y);
        DataLoader<TensorDataset.Batch> loader = ds.loader(4, new Rng(3));
        for (int epoch = 0; epoch < 2; epoch++) {
            List<INDArray> featureArrays = new ArrayList<>();
            int seen = 0;
            for (TensorDataset.Batch b : loader) {
                assertArrayEquals(new long[] {b.size(), 2, 3}, b.features().shape());
                for (int r = 0; r < b.size(); r++) {
                    int i = b.indices()[r];
                    assertEquals(100 + i, b.labels().getInt(r));
                    for (int p = 0; p < 2; p++)
                        for (int q = 0; q < 3; q++) assertEquals(x.getFloat(i, p, q), b.features().getFloat(r, p, q));
                }
                featureArrays.add(b.features());
                seen += b.size();
            }
            assertEquals(11, seen);
            assertSame(featureArrays.get(0), featureArrays.get(1), "full batches reuse one array");
            assertEquals(3, featureArrays.get(2).size(0));
        }
        TensorDataset.Batch one = ds.get(5);
        assertArrayEquals(new long[] {1, 2, 3}, one.features().shape());
        assertEquals(105, one.labels().getInt(0));
        TensorDataset unlabelled = new TensorDataset(x, (INDArray) null);
        assertEquals(null, unlabelled.batch(new int[] {0, 1}).labels());
        // Dense float rows are copied in Java, anything else by libnd4j's gather: both give the same rows.
        int[] pick = {7, 0, 7, 10};
        INDArray dense = ds.batch(pick).features();
        for (INDArray other : new INDArray[] {x.dup('f'), x.castTo(DataType.DOUBLE)}) {
            INDArray got = new TensorDataset(other, (INDArray) null).batch(pick).features();
            for (int r = 0; r < pick.length; r++)
                for (int p = 0; p < 2; p++)
                    for (int q = 0; q < 3; q++) {
                        assertEquals(x.getFloat(pick[r], p, q), dense.getFloat(r, p, q));
                        assertEquals(x.getFloat(pick[r], p, q), got.getFloat(r, p, q), 1e-7);
                    }
        }
    }

    @Test
    void tensorDatasetRefusesMismatchedLabelsAndBadIndices() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Nd4j.zeros(5, 3), new int[4]));
        assertTrue(e.getMessage().contains("5 examples") && e.getMessage().contains("[4]"), e.getMessage());
        TensorDataset ds = new TensorDataset(Nd4j.zeros(5, 3), new int[5]);
        var i = assertThrows(IndexOutOfBoundsException.class, () -> ds.batch(new int[] {0, 5}));
        assertTrue(i.getMessage().contains("index 5 outside [0, 5)"), i.getMessage());
    }
}
