package dev.tinygen.vaegan.gan;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.Tensor;

/**
 * A GAN's critic: an image (and, when conditional, a one-hot label) in, one logit out, high for "real".
 *
 * <p>Shape: images (B, 784) with pixels in [-1, 1], labels (B, K) one-hot or null -> logits (B, 1).
 */
public abstract class Discriminator extends Module {
    public abstract Tensor score(Tensor images, Tensor labels);
}
