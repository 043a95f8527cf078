/**
 * The JVM peers: tinygen's reference autoencoder and VAE written the way a DeepLearning4J 1.0.0-M2.1 user writes
 * them (a {@code MultiLayerNetwork} of DL4J layers, DL4J's Adam), on the same ND4J backend tinygen runs on, so the
 * side-by-side runner can time the framework and not the tensor library.
 *
 * <p>Losses are reported in tinygen's units (summed over pixels, per image) and computed here from the networks'
 * logits with the stable form {@code max(l, 0) - l x + log(1 + e^-|l|)}: DL4J's own scores take the logarithm of the
 * sigmoid's output, clipped ({@code LossBinaryXENT}, at 1e-5) or with infinities set to 0
 * ({@code BernoulliReconstructionDistribution}), which differs from it where the sigmoid saturates.
 *
 * <p>Shape letters: B batch, D pixels (784), Hd hidden width, K code size, Z latent size.
 */
package dev.tinygen.bench.dl4j;
