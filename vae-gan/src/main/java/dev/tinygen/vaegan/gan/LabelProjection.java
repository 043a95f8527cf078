package dev.tinygen.vaegan.gan;

import java.util.Arrays;
import dev.tinygen.nn.Module;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.layers.Linear;

/**
 * The label term of a projection discriminator (Miyato and Koyama, "cGANs with Projection Discriminator", 2018):
 * the inner product of the image's features with a learned vector per class, added to the unconditional logit.
 *
 * <p>Why not just append the one-hot label to the features a discriminator's last dense layer reads: that layer is
 * linear, so the label could only shift the logit by a constant per class, the same for every image; it could never
 * say "this is a good 3 but the label asks for a 7". The inner product {@code <e_y, phi(x)>} makes the score depend
 * on the image and the label together, which is what teaches the generator to draw the digit it is asked for.
 *
 * <p>Shape: features (B, F), labels (B, K) one-hot -> (B, 1).
 */
public final class LabelProjection extends Module {
    private final int classes;
    private final int features;
    private final Linear embed;

    public LabelProjection(int classes, int features, Rng rng) {
        if (classes < 2) throw new IllegalArgumentException("label projection: need >= 2 classes, got " + classes);
        if (features < 1) throw new IllegalArgumentException("label projection: need >= 1 feature, got " + features);
        this.classes = classes;
        this.features = features;
        embed = register("embed", new Linear(classes, features, false, rng));               // one vector e_y per class
    }

    public Tensor score(Tensor phi, Tensor labels) {
        if (phi.rank() != 2 || phi.size(1) != features)
            throw new IllegalArgumentException("label projection: expected features (B, %d), got %s".formatted(features, Arrays.toString(phi.shape())));
        if (labels == null || labels.rank() != 2 || labels.size(0) != phi.size(0) || labels.size(1) != classes)
            throw new IllegalArgumentException("label projection: expected one-hot labels (%d, %d), got %s".formatted(phi.size(0), classes,
                    labels == null ? "none" : Arrays.toString(labels.shape())));
        Tensor e = embed.forward(labels);                                                   // (B, F): e_y per row
        return phi.mul(e).sum(true, 1);                                                     // (B, 1)
    }
}
