/**
 * The variational autoencoder: {@link dev.tinygen.vaegan.vae.Vae} (dense encoder to a Gaussian {@code q(z|x)},
 * reparameterised sample, dense decoder to Bernoulli logits), its loss as one fused op checked against the plain
 * composition, its trainer, and the pictures it is judged by (sample grids, interpolation strips, a 2-D latent
 * scatter plot).
 *
 * <p>Shape letters: {@code B} batch, {@code N} images in a set, {@code D} pixels per image (784 for 28x28 digits),
 * {@code Hd} hidden width, {@code Z} latent size.
 */
package dev.tinygen.vaegan.vae;
