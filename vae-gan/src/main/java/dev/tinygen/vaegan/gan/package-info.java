/**
 * Generative adversarial networks on 28 x 28 digits: dense and DCGAN-style generators and discriminators, optionally
 * conditioned on the label ("prompt -> image"), their trainer with per-epoch sample grids, and the measures of what
 * they draw (classifier confidence, classes present, label agreement, Frechet distance on classifier features).
 *
 * <p>Shape letters: {@code B} batch, {@code Z} noise width (100), {@code K} classes (10, or 0 when unconditional),
 * {@code N} images scored, {@code D} feature width; images are flat {@code (B, 784)} between the networks and
 * {@code (B, C, H, W)} inside the convolutional ones. Generated pixels are in [-1, 1] inside the GAN (tanh) and in
 * [0, 1] wherever images leave it.
 */
package dev.tinygen.vaegan.gan;
