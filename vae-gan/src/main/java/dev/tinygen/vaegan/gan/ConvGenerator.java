package dev.tinygen.vaegan.gan;

import java.util.Arrays;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.layers.ConvTranspose2d;
import dev.tinygen.nn.layers.Linear;
import dev.tinygen.nn.ops.Relu;

/**
 * The DCGAN-style generator: a dense projection of the noise to a 64 x 7 x 7 map, then two transposed convolutions
 * (kernel 4, stride 2, padding 1) that double the side twice to 28 x 28; ReLU between, tanh on the image. There is
 * no batch norm in nn-core, so the widths are kept small enough to train stably without it.
 *
 * <p>Shape: z (B, Z), labels (B, K) or null -> (B, 64, 7, 7) -> (B, 32, 14, 14) -> images (B, 784) in [-1, 1].
 */
public final class ConvGenerator extends Generator {
    private final int noiseDim;
    private final int classes;
    private final Linear project;
    private final ConvTranspose2d up1;
    private final ConvTranspose2d up2;

    public ConvGenerator(int noiseDim, int classes, Rng rng) {
        this.noiseDim = noiseDim;
        this.classes = classes;
        project = register("project", new Linear(noiseDim + classes, 64 * 7 * 7, rng));
        up1 = register("up1", new ConvTranspose2d(64, 32, 4, 2, 1, rng));
        up2 = register("up2", new ConvTranspose2d(32, 1, 4, 2, 1, rng));
    }

    @Override
    public Tensor generate(Tensor z, Tensor labels) {
        if (z.rank() != 2 || z.size(1) != noiseDim)
            throw new IllegalArgumentException("generator: expected noise (B, %d), got %s".formatted(noiseDim, Arrays.toString(z.shape())));
        long b = z.size(0);
        Tensor h = Relu.apply(project.forward(Conditioning.append("generator", z, labels, classes))); // (B, 3136)
        h = Relu.apply(up1.forward(h.reshape(b, 64, 7, 7)));                               // (B, 32, 14, 14)
        return up2.forward(h).tanh().reshape(b, 784);                                      // (B, 784)
    }
}
