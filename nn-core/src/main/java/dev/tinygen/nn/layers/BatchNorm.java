package dev.tinygen.nn.layers;

import java.util.Arrays;
import dev.tinygen.nn.Module;
import dev.tinygen.nn.Parameter;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalisation per channel, as PyTorch's {@code nn.BatchNorm1d(C)} on {@code (N, C)} and
 * {@code nn.BatchNorm2d(C)} on {@code (B, C, H, W)}: a learned gain {@code weight} (ones) and {@code bias} (zeros),
 * neither decayed, and the buffers {@code running_mean} (zeros) and {@code running_var} (ones), which are not
 * learned but saved in checkpoints under those names.
 *
 * <p>In training mode it normalises by the batch's mean and biased variance and moves the running statistics
 * towards the batch's (momentum 0.1, the unbiased variance for {@code running_var}); in evaluation mode it
 * normalises by the running statistics, so one image is drawn the same way whatever else is in its batch. The
 * computation is the {@link dev.tinygen.nn.ops.BatchNorm} op.
 *
 * <p>Shape: {@code (N, C) -> (N, C)}, {@code (B, C, H, W) -> (B, C, H, W)}.
 */
public final class BatchNorm extends Module {
    private static final String RUNNING_MEAN = "running_mean";
    private static final String RUNNING_VAR = "running_var";

    private final int channels;
    private final double eps;
    private final double momentum;
    private final Parameter weight;
    private final Parameter bias;

    /** Float32, eps 1e-5, momentum 0.1 (PyTorch's defaults). */
    public BatchNorm(int channels) {
        this(channels, dev.tinygen.nn.ops.BatchNorm.DEFAULT_EPS, dev.tinygen.nn.ops.BatchNorm.DEFAULT_MOMENTUM, DataType.FLOAT);
    }

    public BatchNorm(int channels, double eps, double momentum, DataType dtype) {
        if (channels <= 0)
            throw new IllegalArgumentException("BatchNorm: channels must be positive, got " + channels);
        if (!(eps >= 0) || Double.isInfinite(eps))
            throw new IllegalArgumentException("BatchNorm: eps must be finite and >= 0, got " + eps);
        if (!(momentum >= 0 && momentum <= 1))
            throw new IllegalArgumentException("BatchNorm: momentum must be in [0, 1], got " + momentum);
        if (!dtype.isFPType())
            throw new IllegalArgumentException("BatchNorm: expected a floating-point dtype, got " + dtype);
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = register("weight", new Parameter(Nd4j.ones(dtype, channels), false));
        this.bias = register("bias", new Parameter(Nd4j.zeros(dtype, channels), false));
        registerBuffer(RUNNING_MEAN, Nd4j.zeros(dtype, channels));
        registerBuffer(RUNNING_VAR, Nd4j.ones(dtype, channels));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 2 && x.rank() != 4)
            throw new IllegalArgumentException("batchNorm: expected (N, %d) or (B, %d, H, W), got %s"
                    .formatted(channels, channels, Arrays.toString(x.shape())));
        if (x.size(1) != channels)
            throw new IllegalArgumentException("batchNorm: expected %d channels (dimension 1), got %d in input %s"
                    .formatted(channels, x.size(1), Arrays.toString(x.shape())));
        return dev.tinygen.nn.ops.BatchNorm.apply(x, weight, bias, runningMean(), runningVar(), isTraining(), momentum, eps);
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    /** The running mean (C), read live: {@link #to} replaces the array. */
    public INDArray runningMean() {
        return buffer(RUNNING_MEAN);
    }

    /** The running (unbiased) variance (C), read live: {@link #to} replaces the array. */
    public INDArray runningVar() {
        return buffer(RUNNING_VAR);
    }

    public int channels() {
        return channels;
    }

    public double eps() {
        return eps;
    }

    public double momentum() {
        return momentum;
    }
}
