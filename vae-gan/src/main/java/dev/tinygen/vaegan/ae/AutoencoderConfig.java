package dev.tinygen.vaegan.ae;

/**
 * The sizes of an {@link Autoencoder}: image pixels {@code D}, hidden width {@code Hd}, code size {@code K}.
 *
 * @param imageSize pixels per image, 784 for 28x28 digits
 * @param hidden    width of the hidden layer on each side of the code
 * @param code      size of the bottleneck; smaller than {@code imageSize}, or nothing is compressed
 */
public record AutoencoderConfig(int imageSize, int hidden, int code) {
    public AutoencoderConfig {
        if (imageSize <= 0) throw new IllegalArgumentException("autoencoder: image size must be positive, got " + imageSize);
        if (hidden <= 0) throw new IllegalArgumentException("autoencoder: hidden size must be positive, got " + hidden);
        if (code <= 0) throw new IllegalArgumentException("autoencoder: code size must be positive, got " + code);
        if (code >= imageSize)
            throw new IllegalArgumentException("autoencoder: code size (%d) must be smaller than the image (%d pixels)"
                    .formatted(code, imageSize));
    }

    /** 784-256-{@code code}-256-784 for MNIST digits. */
    public static AutoencoderConfig mnist(int code) {
        return new AutoencoderConfig(784, 256, code);
    }

    /** Pixels per code value: 784 / 32 = 24.5 for the default. */
    public double compressionRatio() {
        return imageSize / (double) code;
    }
}
