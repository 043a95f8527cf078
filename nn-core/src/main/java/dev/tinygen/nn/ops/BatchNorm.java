package dev.tinygen.nn.ops;

import java.util.Arrays;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalisation per channel, with gain and bias, as PyTorch's {@code F.batch_norm}:
 * {@code y = (x - mean_c) / sqrt(var_c + eps) * gain_c + bias_c}.
 *
 * <ul>
 *   <li>Training: mean and biased variance of channel c over the batch (and H, W); the running statistics, when
 *       given, move towards the batch's: {@code running = (1 - momentum) * running + momentum * batch}, with the
 *       unbiased variance {@code var * M / (M - 1)} for {@code running_var} (M values per channel), as PyTorch does.
 *       This happens whether or not gradients are recorded.</li>
 *   <li>Evaluation: the running statistics normalise, and nothing is updated.</li>
 * </ul>
 *
 * <p>Shape: x {@code (N, C)} or {@code (B, C, H, W)}, gain, bias, runningMean, runningVar {@code (C)} -> y shaped
 * like x.
 *
 * <p>A Java kernel over the row-major buffer, in double arithmetic, read as {@code (N, C, S)} with N the first dimension
 * and S = H * W (1 for rank 2), so both ranks share one loop. Forward saves only each channel's mean and reciprocal standard deviation.
 */
public final class BatchNorm extends Op {
    /** PyTorch's default. */
    public static final double DEFAULT_EPS = 1e-5;
    /** PyTorch's default weight of the new batch in the running statistics. */
    public static final double DEFAULT_MOMENTUM = 0.1;

    private Tensor x;
    private Tensor gain;
    private Tensor bias;
    private DenseBuffer xs;
    private boolean training;
    private double[] mean;
    private double[] rstd;

    /**
     * @param runningMean running mean (C), updated in place in training mode; may be null in training mode only
     * @param runningVar  running variance (C), as runningMean
     * @param training    normalise by the batch's statistics (true) or the running ones (false)
     */
    public static Tensor apply(Tensor x, Tensor gain, Tensor bias, INDArray runningMean, INDArray runningVar,
                               boolean training, double momentum, double eps) {
        return new BatchNorm().forward(x, gain, bias, runningMean, runningVar, training, momentum, eps);
    }

    private Tensor forward(Tensor x, Tensor gain, Tensor bias, INDArray runningMean, INDArray runningVar,
                           boolean training, double momentum, double eps) {
        if (!x.dtype().isFPType())
            throw new IllegalArgumentException("batchNorm: expected a floating-point input, got " + x.dtype());
        Checks.rank("batchNorm", x, 2, 4);
        Checks.sameType("batchNorm", x, gain);
        Checks.sameType("batchNorm", x, bias);
        long c = x.size(1);
        checkChannels("gain", gain.shape(), c, x);
        checkChannels("bias", bias.shape(), c, x);
        if ((runningMean == null) != (runningVar == null))
            throw new IllegalArgumentException("batchNorm: give both running statistics or neither, got "
                    + (runningMean == null ? "only runningVar" : "only runningMean"));
        if (runningMean == null && !training)
            throw new IllegalArgumentException("batchNorm: evaluation mode normalises by the running statistics, but none were given");
        if (runningMean != null) {
            checkChannels("runningMean", runningMean.shape(), c, x);
            checkChannels("runningVar", runningVar.shape(), c, x);
        }
        if (!(momentum >= 0 && momentum <= 1))
            throw new IllegalArgumentException("batchNorm: momentum must be in [0, 1], got " + momentum);
        if (!(eps >= 0) || Double.isInfinite(eps))
            throw new IllegalArgumentException("batchNorm: eps must be finite and >= 0, got " + eps);
        int channels = (int) c;
        int n = (int) x.size(0);
        int s = x.rank() == 4 ? (int) (x.size(2) * x.size(3)) : 1;
        long perChannel = (long) n * s;
        if (training && perChannel < 2)
            throw new IllegalArgumentException("batchNorm: expected more than 1 value per channel when training, got input "
                    + Arrays.toString(x.shape()));
        this.x = x;
        this.gain = gain;
        this.bias = bias;
        this.training = training;

        DenseBuffer in = DenseBuffer.of(x.value());
        double[] gv = doubles(gain.value(), channels);
        double[] bv = doubles(bias.value(), channels);
        mean = new double[channels];
        rstd = new double[channels];
        if (training) {
            // Two passes: the one-pass E[x^2] - E[x]^2 cancels badly when |mean| >> std.
            double[] sum = new double[channels];
            for (int i = 0, at = 0; i < n; i++)
                for (int ch = 0; ch < channels; ch++, at += s) {
                    double acc = 0;
                    for (int k = 0; k < s; k++) acc += in.get(at + k);
                    sum[ch] += acc;
                }
            for (int ch = 0; ch < channels; ch++) mean[ch] = sum[ch] / perChannel;
            double[] sq = new double[channels];
            for (int i = 0, at = 0; i < n; i++)
                for (int ch = 0; ch < channels; ch++, at += s) {
                    double m = mean[ch];
                    double acc = 0;
                    for (int k = 0; k < s; k++) {
                        double d = in.get(at + k) - m;
                        acc += d * d;
                    }
                    sq[ch] += acc;
                }
            for (int ch = 0; ch < channels; ch++) rstd[ch] = 1.0 / Math.sqrt(sq[ch] / perChannel + eps);
            if (runningMean != null) {
                double[] unbiased = new double[channels];
                for (int ch = 0; ch < channels; ch++) unbiased[ch] = sq[ch] / (perChannel - 1);
                moveTowards(runningMean, mean, momentum);
                moveTowards(runningVar, unbiased, momentum);
            }
        } else {
            double[] rm = doubles(runningMean, channels);
            double[] rv = doubles(runningVar, channels);
            for (int ch = 0; ch < channels; ch++) {
                mean[ch] = rm[ch];
                rstd[ch] = 1.0 / Math.sqrt(rv[ch] + eps);
            }
        }

        DenseBuffer out = DenseBuffer.uninitialized(x.dtype(), x.shape());
        for (int i = 0, at = 0; i < n; i++)
            for (int ch = 0; ch < channels; ch++, at += s) {
                // y = x * scale + shift folds the four per-element operations into two.
                double scale = rstd[ch] * gv[ch];
                double shift = bv[ch] - mean[ch] * scale;
                for (int k = 0; k < s; k++) out.set(at + k, in.get(at + k) * scale + shift);
            }
        xs = in;
        return output(out.as(x.dtype()), x, gain, bias);
    }

    /**
     * With {@code xhat = (x - mean) * rstd}, {@code dn = dy * gain} and sums over a channel's M values:
     * in training, where mean and rstd depend on x, {@code dx = (dn - sum(dn) / M - xhat * sum(dn * xhat) / M) * rstd};
     * in evaluation, where they are constants, {@code dx = dn * rstd}. Always {@code dgain = sum dy * xhat},
     * {@code dbias = sum dy}.
     */
    @Override
    protected void backward(INDArray dyArray) {
        DenseBuffer dy = DenseBuffer.of(dyArray);
        int channels = mean.length;
        int n = (int) x.size(0);
        int s = x.rank() == 4 ? (int) (x.size(2) * x.size(3)) : 1;
        long perChannel = (long) n * s;
        double[] gv = doubles(gain.value(), channels);
        double[] dg = new double[channels];
        double[] db = new double[channels];
        for (int i = 0, at = 0; i < n; i++)
            for (int ch = 0; ch < channels; ch++, at += s) {
                double m = mean[ch];
                double rs = rstd[ch];
                double sumDy = 0;
                double sumDyXhat = 0;
                for (int k = 0; k < s; k++) {
                    double d = dy.get(at + k);
                    sumDy += d;
                    sumDyXhat += d * (xs.get(at + k) - m) * rs;
                }
                db[ch] += sumDy;
                dg[ch] += sumDyXhat;
            }
        if (needsGrad(x)) {
            DenseBuffer dx = DenseBuffer.uninitialized(x.dtype(), x.shape());
            for (int i = 0, at = 0; i < n; i++)
                for (int ch = 0; ch < channels; ch++, at += s) {
                    double m = mean[ch];
                    double rs = rstd[ch];
                    double g = gv[ch];
                    // sum(dn) = gain * dbias and sum(dn * xhat) = gain * dgain: the sums are already per channel.
                    double meanDn = training ? g * db[ch] / perChannel : 0;
                    double meanDnXhat = training ? g * dg[ch] / perChannel : 0;
                    for (int k = 0; k < s; k++) {
                        double h = (xs.get(at + k) - m) * rs;
                        dx.set(at + k, (dy.get(at + k) * g - meanDn - h * meanDnXhat) * rs);
                    }
                }
            accumulate(x, dx.as(x.dtype()));
        }
        if (needsGrad(gain)) accumulate(gain, vector(dg, gain));
        if (needsGrad(bias)) accumulate(bias, vector(db, bias));
    }

    private static void checkChannels(String what, long[] shape, long c, Tensor x) {
        if (shape.length != 1 || shape[0] != c)
            throw new IllegalArgumentException("batchNorm: expected %s of shape [%d] for input %s (C = %d), got %s"
                    .formatted(what, c, Arrays.toString(x.shape()), c, Arrays.toString(shape)));
    }

    private static double[] doubles(INDArray a, int n) {
        DenseBuffer b = DenseBuffer.of(a);
        double[] v = new double[n];
        for (int j = 0; j < n; j++) v[j] = b.get(j);
        return v;
    }

    /** {@code running = (1 - momentum) * running + momentum * batch}, in place, through the array's own buffer. */
    private static void moveTowards(INDArray running, double[] batch, double momentum) {
        DenseBuffer r = DenseBuffer.of(running);
        for (int j = 0; j < batch.length; j++) r.set(j, (1 - momentum) * r.get(j) + momentum * batch[j]);
        // A copy was read when the array is half precision or not dense: write the result back into the array itself.
        if (r.array != running) running.assign(r.array);
    }

    private static INDArray vector(double[] v, Tensor like) {
        DenseBuffer out = DenseBuffer.uninitialized(like.dtype(), v.length);
        for (int j = 0; j < v.length; j++) out.set(j, v[j]);
        return out.as(like.dtype());
    }
}
