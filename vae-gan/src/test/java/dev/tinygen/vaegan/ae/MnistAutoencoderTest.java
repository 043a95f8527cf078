package dev.tinygen.vaegan.ae;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.data.Mnist;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short trainings on MNIST subsets that must beat stated figures. */
class MnistAutoencoderTest {
    private static Mnist.Split train;
    private static Mnist.Split test;

    @BeforeAll
    static void load() throws Exception {
        assumeTrue(Mnist.isAvailable(), Mnist.missingMessage());
        train = Mnist.train().first(3000);
        test = Mnist.test().first(500);
    }

    /** 3,000 digits, 3 epochs of batch 64: the train loss must fall under 130 nats per image, the test loss under 140. */
    @Test
    void shortTrainingReconstructsDigits() {
        Autoencoder ae = new Autoencoder(AutoencoderConfig.mnist(32), new Rng(1));
        AutoencoderTrainer.Result r = AutoencoderTrainer.train(ae, train.images(), null,
                new AutoencoderTrainer.Options(3, 64, 2e-3, 1), null);
        assertTrue(r.finalLoss() < 130, "train loss per image " + r.finalLoss());
        double testLoss = ae.loss(test.images(), test.images()).item();
        assertTrue(testLoss < 140, "test loss per image " + testLoss);
    }

    /** Salt-and-pepper noise on 20% of pixels: a short training must raise PSNR against the clean digits by 3 dB (measured 3.9). */
    @Test
    void shortDenoisingTrainingRaisesPsnr() {
        DenoisingAutoencoder dae = new DenoisingAutoencoder(AutoencoderConfig.mnist(32), Noise.saltAndPepper(0.2), new Rng(2));
        dae.train(train.images(), new AutoencoderTrainer.Options(3, 64, 2e-3, 2), null);
        DenoisingAutoencoder.Evaluation e = dae.evaluate(test.images(), new Rng(3));
        assertTrue(e.gain() > 3, "PSNR noisy %.2f dB, denoised %.2f dB".formatted(e.psnrNoisy(), e.psnrDenoised()));
    }

    @Test
    void missingDataFolderNamesTheFile(@TempDir Path empty) {
        var e = assertThrows(NoSuchFileException.class, () -> Mnist.load(empty, "train"));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
    }
}
