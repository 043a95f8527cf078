package dev.tinygen.nn.ops;

import java.util.Arrays;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * KL divergence of the diagonal Gaussian {@code N(mu, exp(logvar))} from the standard normal {@code N(0, I)}, the
 * regulariser of a VAE's ELBO: {@code -0.5 * sum(1 + logvar - mu^2 - exp(logvar))}, summed over the latent
 * dimensions and, with {@link Reduction#MEAN} (the default), averaged over the batch (the first dimension);
 * {@link Reduction#SUM} sums over the batch too.
 *
 * <p>Shape: mu {@code (B, Z)} (or {@code (B, ...)}), logvar the same shape -> a scalar.
 *
 * <p>Backward: {@code dmu = mu dy / B}, {@code dlogvar = 0.5 (exp(logvar) - 1) dy / B}. One Java pass in double
 * arithmetic each way.
 */
public final class GaussianKl extends Op {
    private Tensor mu;
    private Tensor logvar;
    private DenseBuffer m;
    private DenseBuffer lv;
    private double scale;

    public static Tensor apply(Tensor mu, Tensor logvar) {
        return apply(mu, logvar, Reduction.MEAN);
    }

    public static Tensor apply(Tensor mu, Tensor logvar, Reduction reduction) {
        return new GaussianKl().forward(mu, logvar, reduction);
    }

    private Tensor forward(Tensor mu, Tensor logvar, Reduction reduction) {
        MseLoss.checkPair("gaussianKl", "mu", mu, logvar, reduction);
        if (mu.rank() < 2)
            throw new IllegalArgumentException("gaussianKl: expected mu and logvar of shape (B, Z), got "
                    + Arrays.toString(mu.shape()));
        this.mu = mu;
        this.logvar = logvar;
        m = DenseBuffer.of(mu.value());
        lv = DenseBuffer.of(logvar.value());
        scale = reduction == Reduction.SUM ? 1.0 : 1.0 / mu.size(0);
        double s = 0;
        for (int i = 0; i < m.length(); i++) {
            double a = m.get(i);
            double l = lv.get(i);
            s += 1 + l - a * a - Math.exp(l);
        }
        return output(Nd4j.scalar(mu.dtype(), -0.5 * s * scale), mu, logvar);
    }

    @Override
    protected void backward(INDArray dy) {
        double g = dy.getDouble(0) * scale;
        int n = m.length();
        if (needsGrad(mu)) {
            DenseBuffer dm = DenseBuffer.uninitialized(mu.dtype(), mu.shape());
            for (int i = 0; i < n; i++) dm.set(i, m.get(i) * g);
            accumulate(mu, dm.as(mu.dtype()));
        }
        if (needsGrad(logvar)) {
            DenseBuffer dl = DenseBuffer.uninitialized(logvar.dtype(), logvar.shape());
            for (int i = 0; i < n; i++) dl.set(i, 0.5 * (Math.exp(lv.get(i)) - 1) * g);
            accumulate(logvar, dl.as(logvar.dtype()));
        }
    }
}
