package dev.tinygen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tinygen.nn.data.Mnist;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The foundation's acceptance test: an MLP trained with AdamW on MNIST, and determinism of its losses. */
class MnistMlpTest {
    private static Mnist.Split train;
    private static Mnist.Split test;

    @BeforeAll
    static void load() throws Exception {
        assumeTrue(Mnist.isAvailable(), Mnist.missingMessage());
        train = Mnist.train();
        test = Mnist.test();
    }

    @Test
    void reaches97PercentTestAccuracyInThreeEpochs() {
        MlpTrainer.Result r = MlpTrainer.train(train, test, 128, 3, 64, 2e-3, 1, Integer.MAX_VALUE, System.out);
        double acc = r.testAccuracy()[2];
        System.out.printf("MNIST MLP 784-128-10, AdamW lr 2e-3 batch 64, 3 epochs: test accuracy %.4f, %.1f s/epoch, %.0f steps/s%n",
                acc, r.secondsPerEpoch(), r.stepsPerSecond());
        assertTrue(acc >= 0.97, "test accuracy after 3 epochs: " + acc);
    }

    @Test
    void sameSeedGivesTheSameLosses() {
        var a = MlpTrainer.train(train, test, 32, 1, 64, 1e-3, 7, 60, null).losses();
        var b = MlpTrainer.train(train, test, 32, 1, 64, 1e-3, 7, 60, null).losses();
        var c = MlpTrainer.train(train, test, 32, 1, 64, 1e-3, 8, 60, null).losses();
        assertEquals(60, a.size());
        assertEquals(a, b);
        assertTrue(!a.equals(c), "a different seed should give different losses");
    }
}
