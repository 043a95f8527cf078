package dev.tinygen.vaegan.vae;

/**
 * The sizes of a {@link Vae}: image pixels {@code D}, hidden width {@code Hd}, latent size {@code Z}.
 *
 * @param imageSize pixels per image, 784 for 28x28 digits
 * @param hidden    width of the one hidden layer on each side
 * @param latent    size of the latent code {@code z}
 */
public record VaeConfig(int imageSize, int hidden, int latent) {
    public VaeConfig {
        if (imageSize <= 0) throw new IllegalArgumentException("vae: image size must be positive, got " + imageSize);
        if (hidden <= 0) throw new IllegalArgumentException("vae: hidden size must be positive, got " + hidden);
        if (latent <= 0) throw new IllegalArgumentException("vae: latent size must be positive, got " + latent);
    }

    /** The common reference recipe (PyTorch's examples/vae): 784-400-20. */
    public static VaeConfig reference() {
        return new VaeConfig(784, 400, 20);
    }

    /** The reference recipe with a 2-D latent space, small enough to draw: 784-400-2. */
    public static VaeConfig twoD() {
        return new VaeConfig(784, 400, 2);
    }
}
