/**
 * Dense autoencoders on images: {@link dev.tinygen.vaegan.ae.Autoencoder} (encoder to a small code, decoder back),
 * its denoising use ({@link dev.tinygen.vaegan.ae.DenoisingAutoencoder} with {@link dev.tinygen.vaegan.ae.Noise}),
 * and anomaly detection by reconstruction error ({@link dev.tinygen.vaegan.ae.AnomalyDetector}).
 *
 * <p>Shape letters: {@code B} batch, {@code N} images in a set, {@code D} pixels per image (784 for 28x28 digits),
 * {@code Hd} hidden width, {@code K} code size.
 */
package dev.tinygen.vaegan.ae;
