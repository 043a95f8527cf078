package dev.tinygen.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The real data sets, where this machine has them (CI does). */
class MnistTest {
    private static int[] histogram(int[] labels) {
        int[] h = new int[10];
        for (int l : labels) h[l]++;
        return h;
    }

    private static void assertImages(Mnist.Split s, int n) {
        INDArray x = s.images();
        assertArrayEquals(new long[] {n, 784}, x.shape());
        assertEquals(0.0, x.minNumber().doubleValue());
        assertEquals(1.0, x.maxNumber().doubleValue());
        assertEquals(n, Arrays.stream(histogram(s.labels())).sum());
    }

    @Test
    void mnistDigits() throws Exception {
        assumeTrue(Mnist.isAvailable(), Mnist.missingMessage());
        Mnist.Split train = Mnist.train();
        Mnist.Split test = Mnist.test();
        assertImages(train, 60000);
        assertImages(test, 10000);
        assertEquals(5, train.labels()[0]);
        assertEquals(7, test.labels()[0]);
        // The published class counts of MNIST.
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, histogram(train.labels()));
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, histogram(test.labels()));
    }

    @Test
    void fashionMnist() throws Exception {
        assumeTrue(Mnist.isFashionAvailable(),
                "Fashion-MNIST is not in " + Mnist.FASHION_DIR + "; run `apt-get install dataset-fashion-mnist`");
        Mnist.Split train = Mnist.fashionTrain();
        Mnist.Split test = Mnist.fashionTest();
        assertImages(train, 60000);
        assertImages(test, 10000);
        int[] six = new int[10];
        Arrays.fill(six, 6000);
        assertArrayEquals(six, histogram(train.labels()), "Fashion-MNIST is balanced");
        int[] one = new int[10];
        Arrays.fill(one, 1000);
        assertArrayEquals(one, histogram(test.labels()));
        assertEquals(9, train.labels()[0]);
        assertEquals(9, test.labels()[0]);
    }

    @Test
    void firstIsACopyOfTheHeadAndRefusesABadCount() {
        float[] px = new float[4 * 784];
        for (int i = 0; i < px.length; i++) px[i] = i;
        Mnist.Split all = new Mnist.Split(Nd4j.create(px, new long[] {4, 784}, 'c'), new int[] {7, 2, 1, 0});
        Mnist.Split two = all.first(2);
        assertArrayEquals(new int[] {7, 2}, two.labels());
        assertEquals(784 + 5, two.images().getDouble(1, 5), 0.0);
        two.images().putScalar(0, 0, -1);
        assertEquals(0.0, all.images().getDouble(0, 0), 0.0, "a copy, not a view");
        for (int bad : new int[] {0, 5}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> all.first(bad));
            assertTrue(e.getMessage().contains("1..4") && e.getMessage().contains("got " + bad), e.getMessage());
        }
    }
}
