package dev.tinygen.vaegan.ae;

import java.io.PrintStream;
import java.util.Arrays;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.data.Mnist;
import dev.tinygen.vaegan.Metrics;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Anomaly detection by reconstruction error: an {@link Autoencoder} trained on normal images only reconstructs them
 * well and others badly, so the mean squared reconstruction error of an image is its anomaly score.
 *
 * <p>The held-out-class experiment trains on every class but one and measures, by ROC-AUC, how well the score tells
 * the held-out class (positive) from the normal ones in the test set.
 */
public final class AnomalyDetector {
    private final Autoencoder model;

    /** The ROC-AUC of one held-out class, with the mean scores of both groups. */
    public record HeldOut(int heldOutClass, double rocAuc, double meanNormalScore, double meanAnomalyScore) {}

    public AnomalyDetector(Autoencoder model) {
        if (model == null) throw new IllegalArgumentException("anomaly detector: model is null");
        this.model = model;
    }

    public Autoencoder model() {
        return model;
    }

    /** One score per image, higher for images less like the training data. */
    public double[] scores(INDArray images) {
        return model.reconstructionErrors(images);
    }

    /**
     * Trains a fresh autoencoder on the {@code train} images whose label is not {@code heldOut} and scores every
     * {@code test} image.
     */
    public static HeldOut heldOutClass(int heldOut, Mnist.Split train, Mnist.Split test, AutoencoderConfig config,
                                       AutoencoderTrainer.Options o, PrintStream log) {
        if (!contains(test.labels(), heldOut))
            throw new IllegalArgumentException("anomaly detection: no test image has label " + heldOut);
        int[] keep = Arrays.stream(indices(train.size())).filter(i -> train.labels()[i] != heldOut).toArray();
        if (keep.length == 0)
            throw new IllegalArgumentException("anomaly detection: every training image has label " + heldOut + "; nothing is normal");
        INDArray normal = train.images().getRows(keep);                               // (N', D)
        Autoencoder ae = new Autoencoder(config, new Rng(o.seed() * 31 + heldOut));
        AutoencoderTrainer.train(ae, normal, null, o, log);
        double[] s = new AnomalyDetector(ae).scores(test.images());
        boolean[] positive = new boolean[s.length];
        double sumPos = 0, sumNeg = 0;
        int nPos = 0;
        for (int i = 0; i < s.length; i++) {
            positive[i] = test.labels()[i] == heldOut;
            if (positive[i]) {
                sumPos += s[i];
                nPos++;
            } else {
                sumNeg += s[i];
            }
        }
        return new HeldOut(heldOut, Metrics.rocAuc(s, positive), sumNeg / (s.length - nPos), sumPos / nPos);
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }

    private static int[] indices(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }
}
