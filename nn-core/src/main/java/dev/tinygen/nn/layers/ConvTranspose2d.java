package dev.tinygen.nn.layers;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.Parameter;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A 2-D transposed convolution layer over NCHW images with a square kernel, as PyTorch's
 * {@code nn.ConvTranspose2d} (no dilation, no groups): parameters {@code weight} (Cin, Cout, k, k) and optional
 * {@code bias} (Cout). It upsamples: with kernel 4, stride 2, padding 1 it doubles H and W.
 *
 * <p>Shape: x (B, Cin, H, W) -> (B, Cout, Ho, Wo), {@code Ho = (H - 1) stride - 2 padding + k + outputPadding}.
 *
 * <p>Initialised as PyTorch does (Kaiming-uniform with {@code a = sqrt(5)}): weight and bias both uniform in
 * {@code [-1/sqrt(fanIn), 1/sqrt(fanIn))}, where PyTorch takes {@code fanIn} from the weight's second dimension,
 * so here {@code fanIn = Cout k k}; weight drawn first.
 */
public final class ConvTranspose2d extends Module {
    private final int stride;
    private final int padding;
    private final int outputPadding;
    private final Parameter weight;
    private final Parameter bias;

    /** float32, with a bias, no output padding. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Rng rng) {
        this(inChannels, outChannels, kernelSize, stride, padding, 0, true, rng, DataType.FLOAT);
    }

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int outputPadding,
                           boolean bias, Rng rng, DataType dtype) {
        if (inChannels < 1 || outChannels < 1 || kernelSize < 1 || stride < 1 || padding < 0)
            throw new IllegalArgumentException(("ConvTranspose2d: channels, kernel size and stride must be >= 1 and "
                    + "padding >= 0, got in %d, out %d, kernel %d, stride %d, padding %d")
                    .formatted(inChannels, outChannels, kernelSize, stride, padding));
        if (outputPadding < 0 || outputPadding >= stride)
            throw new IllegalArgumentException("ConvTranspose2d: output padding must be >= 0 and smaller than the stride, got %d and %d"
                    .formatted(outputPadding, stride));
        this.stride = stride;
        this.padding = padding;
        this.outputPadding = outputPadding;
        double bound = 1.0 / Math.sqrt((double) outChannels * kernelSize * kernelSize);
        this.weight = register("weight", new Parameter(
                rng.uniform(dtype, -bound, bound, inChannels, outChannels, kernelSize, kernelSize)));
        this.bias = bias ? register("bias", new Parameter(rng.uniform(dtype, -bound, bound, outChannels), false)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        return dev.tinygen.nn.ops.ConvTranspose2d.apply(x, weight, bias, stride, padding, outputPadding); // (B, Cout, Ho, Wo)
    }

    /** (Cin, Cout, k, k). */
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

    public int outputPadding() {
        return outputPadding;
    }

    @Override
    public String toString() {
        return "ConvTranspose2d(%d, %d, kernel %d, stride %d, padding %d%s%s)".formatted(weight.size(0), weight.size(1),
                weight.size(2), stride, padding, outputPadding == 0 ? "" : ", output padding " + outputPadding,
                bias == null ? ", no bias" : "");
    }
}
