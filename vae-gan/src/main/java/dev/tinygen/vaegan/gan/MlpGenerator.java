package dev.tinygen.vaegan.gan;

import java.util.Arrays;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.layers.BatchNorm;
import dev.tinygen.nn.layers.Linear;

/**
 * The dense generator: noise 100 -> 256 -> 512 -> 1024 -> 784, batch norm then LeakyReLU(0.2) after each hidden layer,
 * tanh on the image. Batch norm follows DCGAN (Radford et al. 2016), who found it helps gradients flow and keeps the
 * generator from collapsing all samples to one point: every generator layer but the output is normalised (the paper
 * saw normalising the output make training unstable). In evaluation mode (sampling) the running statistics
 * normalise, so an image does not depend on the others drawn with it.
 *
 * <p>Shape: z (B, Z), labels (B, K) or null -> images (B, 784) in [-1, 1].
 */
public final class MlpGenerator extends Generator {
    private final int noiseDim;
    private final int classes;
    private final double slope;
    private final Linear fc1;
    private final BatchNorm bn1;
    private final Linear fc2;
    private final BatchNorm bn2;
    private final Linear fc3;
    private final BatchNorm bn3;
    private final Linear fc4;

    public MlpGenerator(int noiseDim, int classes, double slope, Rng rng) {
        this.noiseDim = noiseDim;
        this.classes = classes;
        this.slope = slope;
        fc1 = register("fc1", new Linear(noiseDim + classes, 256, rng));
        bn1 = register("bn1", new BatchNorm(256));
        fc2 = register("fc2", new Linear(256, 512, rng));
        bn2 = register("bn2", new BatchNorm(512));
        fc3 = register("fc3", new Linear(512, 1024, rng));
        bn3 = register("bn3", new BatchNorm(1024));
        fc4 = register("fc4", new Linear(1024, 784, rng));
    }

    @Override
    public Tensor generate(Tensor z, Tensor labels) {
        if (z.rank() != 2 || z.size(1) != noiseDim)
            throw new IllegalArgumentException("generator: expected noise (B, %d), got %s".formatted(noiseDim, Arrays.toString(z.shape())));
        Tensor h = fc1.forward(Conditioning.append("generator", z, labels, classes));       // (B, 256)
        h = LeakyRelu.apply(bn1.forward(h), slope);
        h = LeakyRelu.apply(bn2.forward(fc2.forward(h)), slope);                            // (B, 512)
        h = LeakyRelu.apply(bn3.forward(fc3.forward(h)), slope);                            // (B, 1024)
        return fc4.forward(h).tanh();                                                      // (B, 784)
    }
}
