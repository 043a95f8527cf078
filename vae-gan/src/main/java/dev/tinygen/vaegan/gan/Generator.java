package dev.tinygen.vaegan.gan;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.Tensor;

/**
 * A GAN's generator: noise (and, when conditional, a one-hot label) in, an image with pixels in [-1, 1] out.
 *
 * <p>Shape: z (B, Z), labels (B, K) one-hot or null -> images (B, 784).
 */
public abstract class Generator extends Module {
    /** Images for noise {@code z}; {@code labels} is required exactly when the network was built conditional. */
    public abstract Tensor generate(Tensor z, Tensor labels);
}
