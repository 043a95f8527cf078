package dev.tinygen.vaegan.classifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.data.Mnist;
import dev.tinygen.nn.io.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class DigitClassifierTest {
    private static INDArray images(int n) {
        return new Rng(3).uniform(DataType.FLOAT, 0, 1, n, 784);
    }

    @Test
    void shapesAndProbabilities() {
        DigitClassifier c = new DigitClassifier(new Rng(1));
        assertArrayEquals(new long[] {3, 10}, c.forward(Tensor.constant(images(3))).shape());
        assertArrayEquals(new long[] {3, 10}, c.forward(Tensor.constant(images(3).reshape(3, 1, 28, 28))).shape());
        // 1234 rows cross the 500-row chunks: every chunk must land in its own rows.
        INDArray x = images(1234);
        INDArray p = c.probabilities(x);
        assertArrayEquals(new long[] {1234, 10}, p.shape());
        INDArray rowSums = p.sum(1);
        for (int i = 0; i < 1234; i++) assertEquals(1.0, rowSums.getDouble(i), 1e-5);
        INDArray f = c.features(x);
        assertArrayEquals(new long[] {1234, DigitClassifier.FEATURES}, f.shape());
        INDArray last = x.get(NDArrayIndex.interval(1233, 1234), NDArrayIndex.all());
        assertEquals(c.features(Tensor.constant(last)).value().getDouble(0, 5), f.getDouble(1233, 5), 1e-5);
        assertEquals(1234, c.predict(x).length);
    }

    @Test
    void rejectsWrongImageSizeAndMissingCheckpoint(@TempDir Path dir) {
        DigitClassifier c = new DigitClassifier(new Rng(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.forward(Tensor.constant(new Rng(1).uniform(DataType.FLOAT, 0, 1, 2, 700))));
        assertTrue(e.getMessage().contains("[2, 700]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.probabilities(new Rng(1).uniform(DataType.FLOAT, 0, 1, 2, 1, 28, 28)));
        assertThrows(IllegalArgumentException.class, () -> c.accuracy(images(2), new int[] {1}));
        java.nio.file.NoSuchFileException m = assertThrows(java.nio.file.NoSuchFileException.class,
                () -> DigitClassifier.load(dir.resolve("none.safetensors")));
        assertTrue(m.getMessage().contains("train-classifier"), m.getMessage());
    }

    @Test
    void saveAndLoadKeepTheWeights(@TempDir Path dir) throws Exception {
        DigitClassifier c = new DigitClassifier(new Rng(5));
        Path f = dir.resolve("sub/clf.safetensors");
        c.save(f, Map.of("test_accuracy", "0.5"));
        DigitClassifier back = DigitClassifier.load(f);
        assertEquals(c.probabilities(images(7)), back.probabilities(images(7)));
        assertEquals("digit-classifier", Checkpoint.readMetadata(f).get("model"));
    }

    @Test
    void trainerRejectsBadSettingsAndEmptyData() {
        assertThrows(IllegalArgumentException.class, () -> new ClassifierTrainer.Config(0, 64, 1e-3, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> new ClassifierTrainer.Config(1, 64, -1, 1, 10));
        Mnist.Split empty = new Mnist.Split(org.nd4j.linalg.factory.Nd4j.create(DataType.FLOAT, 0, 784), new int[0]);
        Mnist.Split one = new Mnist.Split(images(1), new int[] {1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassifierTrainer.train(empty, one, ClassifierTrainer.Config.standard(1), null));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    private static Mnist.Split rows(Mnist.Split s, int from, int to) {
        return new Mnist.Split(s.images().get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup(),
                Arrays.copyOfRange(s.labels(), from, to));
    }

    @Test
    void sameSeedSameLossesAndAShortRunReadsDigits() throws Exception {
        assumeTrue(Mnist.isAvailable(), Mnist.missingMessage());
        Mnist.Split train = rows(Mnist.train(), 0, 4000);
        Mnist.Split test = rows(Mnist.test(), 0, 1000);
        ClassifierTrainer.Config three = new ClassifierTrainer.Config(1, 64, 1e-3, 7, 3);
        Mnist.Split few = rows(test, 0, 10);  // the end-of-epoch evaluation is not what this part checks
        assertEquals(ClassifierTrainer.train(train, few, three, null).losses(),
                ClassifierTrainer.train(train, few, three, null).losses());
        // One pass over 4,000 digits (63 steps): measured 0.93; a model that learned nothing scores about 0.1.
        ClassifierTrainer.Result r = ClassifierTrainer.train(train, test, new ClassifierTrainer.Config(1, 64, 1e-3, 7, Integer.MAX_VALUE), null);
        assertTrue(r.finalAccuracy() >= 0.85, "accuracy after one pass over 4,000 digits: " + r.finalAccuracy());
        double first = r.losses().get(0), last = r.losses().subList(53, 63).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(last < 0.6 && first > 2.0, "loss from " + first + " to " + last);
    }
}
