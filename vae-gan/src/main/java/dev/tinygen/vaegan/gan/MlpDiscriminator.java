package dev.tinygen.vaegan.gan;

import java.util.Arrays;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.layers.Linear;

/**
 * The dense discriminator: 784 -> 512 -> 256 -> 1 logit, LeakyReLU(0.2) between layers. A conditional one adds
 * the {@link LabelProjection} of its 256 features to the logit.
 *
 * <p>Shape: images (B, 784), labels (B, K) or null -> logits (B, 1).
 */
public final class MlpDiscriminator extends Discriminator {
    private final int classes;
    private final double slope;
    private final Linear fc1;
    private final Linear fc2;
    private final Linear fc3;
    private final LabelProjection projection;

    public MlpDiscriminator(int classes, double slope, Rng rng) {
        this.classes = classes;
        this.slope = slope;
        fc1 = register("fc1", new Linear(784, 512, rng));
        fc2 = register("fc2", new Linear(512, 256, rng));
        fc3 = register("fc3", new Linear(256, 1, rng));
        projection = classes == 0 ? null : register("projection", new LabelProjection(classes, 256, rng));
    }

    @Override
    public Tensor score(Tensor images, Tensor labels) {
        if (images.rank() != 2 || images.size(1) != 784)
            throw new IllegalArgumentException("discriminator: expected images (B, 784), got " + Arrays.toString(images.shape()));
        Conditioning.check("discriminator", images, labels, classes);
        Tensor h = LeakyRelu.apply(fc1.forward(images), slope);                             // (B, 512)
        h = LeakyRelu.apply(fc2.forward(h), slope);                                         // (B, 256)
        Tensor logit = fc3.forward(h);                                                     // (B, 1)
        return projection == null ? logit : logit.add(projection.score(h, labels));       // (B, 1)
    }
}
