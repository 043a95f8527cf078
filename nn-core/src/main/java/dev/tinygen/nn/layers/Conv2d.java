package dev.tinygen.nn.layers;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.Parameter;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A 2-D convolution layer over NCHW images with a square kernel, as PyTorch's {@code nn.Conv2d} (no dilation, no
 * groups): parameters {@code weight} (Cout, Cin, k, k) and optional {@code bias} (Cout).
 *
 * <p>Shape: x (B, Cin, H, W) -> (B, Cout, Ho, Wo), {@code Ho = (H + 2 padding - k) / stride + 1}.
 *
 * <p>Initialised as PyTorch does (Kaiming-uniform with {@code a = sqrt(5)}): weight and bias both uniform in
 * {@code [-1/sqrt(fanIn), 1/sqrt(fanIn))} with {@code fanIn = Cin k k}, weight drawn first.
 */
public final class Conv2d extends Module {
    private final int stride;
    private final int padding;
    private final Parameter weight;
    private final Parameter bias;

    /** float32, with a bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Rng rng) {
        this(inChannels, outChannels, kernelSize, stride, padding, true, rng, DataType.FLOAT);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean bias, Rng rng,
                  DataType dtype) {
        if (inChannels < 1 || outChannels < 1 || kernelSize < 1 || stride < 1 || padding < 0)
            throw new IllegalArgumentException(("Conv2d: channels, kernel size and stride must be >= 1 and padding >= 0, "
                    + "got in %d, out %d, kernel %d, stride %d, padding %d")
                    .formatted(inChannels, outChannels, kernelSize, stride, padding));
        this.stride = stride;
        this.padding = padding;
        double bound = 1.0 / Math.sqrt((double) inChannels * kernelSize * kernelSize);
        this.weight = register("weight", new Parameter(
                rng.uniform(dtype, -bound, bound, outChannels, inChannels, kernelSize, kernelSize)));
        this.bias = bias ? register("bias", new Parameter(rng.uniform(dtype, -bound, bound, outChannels), false)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        return dev.tinygen.nn.ops.Conv2d.apply(x, weight, bias, stride, padding);        // (B, Cout, Ho, Wo)
    }

    /** (Cout, Cin, k, k). */
    public Parameter weight() {
        return weight;
    }

    /** (Cout), or null for a layer built without a bias. */
    public Parameter bias() {
        return bias;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    @Override
    public String toString() {
        return "Conv2d(%d, %d, kernel %d, stride %d, padding %d%s)".formatted(weight.size(1), weight.size(0),
                weight.size(2), stride, padding, bias == null ? ", no bias" : "");
    }
}
