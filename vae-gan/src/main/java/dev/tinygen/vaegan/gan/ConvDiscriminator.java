package dev.tinygen.vaegan.gan;

import java.util.Arrays;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.layers.Conv2d;
import dev.tinygen.nn.layers.Linear;

/**
 * The DCGAN-style discriminator: two strided convolutions (kernel 4, stride 2, padding 1) halve the side twice,
 * LeakyReLU(0.2) after each, then a dense layer to one logit. A conditional one adds the {@link LabelProjection} of
 * the flattened features to the logit, so image and label are judged together.
 *
 * <p>Shape: images (B, 784) -> (B, 1, 28, 28) -> (B, 32, 14, 14) -> (B, 64, 7, 7) -> (B, 3136) -> logits (B, 1).
 */
public final class ConvDiscriminator extends Discriminator {
    private final int classes;
    private final double slope;
    private final Conv2d conv1;
    private final Conv2d conv2;
    private final Linear head;
    private final LabelProjection projection;

    public ConvDiscriminator(int classes, double slope, Rng rng) {
        this.classes = classes;
        this.slope = slope;
        conv1 = register("conv1", new Conv2d(1, 32, 4, 2, 1, rng));
        conv2 = register("conv2", new Conv2d(32, 64, 4, 2, 1, rng));
        head = register("head", new Linear(64 * 7 * 7, 1, rng));
        projection = classes == 0 ? null : register("projection", new LabelProjection(classes, 64 * 7 * 7, rng));
    }

    @Override
    public Tensor score(Tensor images, Tensor labels) {
        if (images.rank() != 2 || images.size(1) != 784)
            throw new IllegalArgumentException("discriminator: expected images (B, 784), got " + Arrays.toString(images.shape()));
        Conditioning.check("discriminator", images, labels, classes);
        long b = images.size(0);
        Tensor h = LeakyRelu.apply(conv1.forward(images.reshape(b, 1, 28, 28)), slope);   // (B, 32, 14, 14)
        h = LeakyRelu.apply(conv2.forward(h), slope);                                       // (B, 64, 7, 7)
        Tensor flat = h.reshape(b, 64 * 7 * 7);                                            // (B, 3136)
        Tensor logit = head.forward(flat);                                                 // (B, 1)
        return projection == null ? logit : logit.add(projection.score(flat, labels));    // (B, 1)
    }
}
