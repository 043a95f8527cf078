package dev.tinygen.vaegan.gan;

import java.util.Arrays;
import dev.tinygen.vaegan.classifier.DigitClassifier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How good generated digits are, as judged by a {@link DigitClassifier}:
 * <ul>
 *   <li>the fraction it labels with confidence (top probability) at least {@value #CONFIDENCE};</li>
 *   <li>how many of the ten classes appear among those confident labels (a GAN that collapsed onto a few digits
 *       scores high confidence but few classes);</li>
 *   <li>for a conditional generator, how often the classifier's label is the one asked for;</li>
 *   <li>the {@link FrechetDistance} between the classifier's penultimate features of real and generated images.</li>
 * </ul>
 *
 * <p>Shape: generated and real images (N, 784) with pixels in [0, 1]; requested labels int[N] or null.
 */
public final class GanMetrics {
    /** The confidence above which a label counts. */
    public static final double CONFIDENCE = 0.9;

    /**
     * @param confidentFraction fraction of images labelled with probability >= {@value #CONFIDENCE}
     * @param classesPresent    how many classes appear among the confident labels
     * @param confidentPerClass count of confident labels per class
     * @param agreement         fraction whose predicted label equals the requested one (NaN when none was requested)
     * @param frechet           Frechet distance on penultimate features between the real and the generated images
     */
    public record Report(double confidentFraction, int classesPresent, int[] confidentPerClass, double agreement,
                         double frechet) {
        @Override
        public String toString() {
            return "confident %.4f, classes %d %s, agreement %.4f, frechet %.3f".formatted(confidentFraction,
                    classesPresent, Arrays.toString(confidentPerClass), agreement, frechet);
        }
    }

    private GanMetrics() {}

    /** All figures for {@code generated} against {@code real}; {@code requested} may be null. */
    public static Report evaluate(DigitClassifier classifier, INDArray generated, INDArray real, int[] requested) {
        if (generated.size(0) < 2 || real.size(0) < 2)
            throw new IllegalArgumentException("gan metrics: need at least 2 generated and 2 real images, got %d and %d"
                    .formatted(generated.size(0), real.size(0)));
        INDArray probs = classifier.probabilities(generated);                              // (N, 10)
        double[][] p = probs.toDoubleMatrix();
        int[] perClass = confidentPerClass(p);
        double confident = Arrays.stream(perClass).sum() / (double) p.length;
        double agreement = requested == null ? Double.NaN : agreement(p, requested);
        double fd = FrechetDistance.between(FrechetDistance.Stats.of(classifier.features(real)),
                FrechetDistance.Stats.of(classifier.features(generated)));
        return new Report(confident, classesPresent(perClass), perClass, agreement, fd);
    }

    /** Per class, how many rows of probabilities {@code p} (N, K) have that class as a top probability >= 0.9. */
    public static int[] confidentPerClass(double[][] p) {
        if (p.length == 0) throw new IllegalArgumentException("gan metrics: no probabilities to count");
        int k = p[0].length;
        int[] counts = new int[k];
        for (double[] row : p) {
            int best = argMax(row);
            if (row[best] >= CONFIDENCE) counts[best]++;
        }
        return counts;
    }

    /** The number of non-zero counts. */
    public static int classesPresent(int[] perClass) {
        return (int) Arrays.stream(perClass).filter(c -> c > 0).count();
    }

    /** Fraction of rows of {@code p} whose most probable class is {@code requested[i]}. */
    public static double agreement(double[][] p, int[] requested) {
        if (p.length != requested.length)
            throw new IllegalArgumentException("gan metrics: %d images but %d requested labels".formatted(p.length, requested.length));
        if (p.length == 0) throw new IllegalArgumentException("gan metrics: no images to compare with requested labels");
        int agree = 0;
        for (int i = 0; i < p.length; i++) if (argMax(p[i]) == requested[i]) agree++;
        return agree / (double) p.length;
    }

    private static int argMax(double[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
        return best;
    }
}
