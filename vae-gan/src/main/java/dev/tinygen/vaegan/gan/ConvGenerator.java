package dev.tinygen.vaegan.gan;

import java.util.Arrays;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.layers.BatchNorm;
import dev.tinygen.nn.layers.ConvTranspose2d;
import dev.tinygen.nn.layers.Linear;
import dev.tinygen.nn.ops.Relu;

/**
 * The DCGAN-style generator: a dense projection of the noise to a 64 x 7 x 7 map, then two transposed convolutions
 * (kernel 4, stride 2, padding 1) that double the side twice to 28 x 28; batch norm then ReLU after the projection
 * and the first convolution, tanh on the image. As in the DCGAN paper (Radford et al. 2016) batch norm is per
 * channel, over the batch and the map's positions (64 channels of 7 x 7, then 32 of 14 x 14), and the output layer
 * is not normalised. In evaluation mode (sampling) the running statistics normalise.
 *
 * <p>Shape: z (B, Z), labels (B, K) or null -> (B, 64, 7, 7) -> (B, 32, 14, 14) -> images (B, 784) in [-1, 1].
 */
public final class ConvGenerator extends Generator {
    private final int noiseDim;
    private final int classes;
    private final Linear project;
    private final BatchNorm bn0;
    private final ConvTranspose2d up1;
    private final BatchNorm bn1;
    private final ConvTranspose2d up2;

    public ConvGenerator(int noiseDim, int classes, Rng rng) {
        this.noiseDim = noiseDim;
        this.classes = classes;
        project = register("project", new Linear(noiseDim + classes, 64 * 7 * 7, rng));
        bn0 = register("bn0", new BatchNorm(64));
        up1 = register("up1", new ConvTranspose2d(64, 32, 4, 2, 1, rng));
        bn1 = register("bn1", new BatchNorm(32));
        up2 = register("up2", new ConvTranspose2d(32, 1, 4, 2, 1, rng));
    }

    @Override
    public Tensor generate(Tensor z, Tensor labels) {
        if (z.rank() != 2 || z.size(1) != noiseDim)
            throw new IllegalArgumentException("generator: expected noise (B, %d), got %s".formatted(noiseDim, Arrays.toString(z.shape())));
        long b = z.size(0);
        Tensor h = project.forward(Conditioning.append("generator", z, labels, classes));  // (B, 3136)
        h = Relu.apply(bn0.forward(h.reshape(b, 64, 7, 7)));                               // (B, 64, 7, 7)
        h = Relu.apply(bn1.forward(up1.forward(h)));                                       // (B, 32, 14, 14)
        return up2.forward(h).tanh().reshape(b, 784);                                      // (B, 784)
    }
}
