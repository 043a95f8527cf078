package dev.tinygen.nn.optim;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import dev.tinygen.nn.Parameter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gradient clipping by global norm, PyTorch's {@code clip_grad_norm_}: with {@code norm = sqrt(sum of every squared
 * gradient element)}, when {@code norm > maxNorm} every gradient is multiplied by {@code maxNorm / (norm + 1e-6)}.
 * Gradients are left alone when the norm is within the limit, and when it is not finite (the caller, who gets the
 * norm back, decides whether to skip the step).
 *
 * <p>This works on any parameters with two ND4J ops per parameter. For the parameters of a {@link FlatOptimizer},
 * {@link FlatOptimizer#clipGradNorm(double)} does the same on its flat buffers in one pass.
 *
 * <p>Shape: gradients of any shapes; the norm is a scalar.
 */
public final class GradClip {
    /** PyTorch's guard against dividing by a zero norm. */
    static final double NORM_EPS = 1e-6;

    private GradClip() {}

    /**
     * Scales the gradients of {@code params} so their global norm is at most {@code maxNorm}. A parameter listed
     * twice counts once; one without a gradient counts as zero.
     *
     * @return the global norm before clipping
     */
    public static double clipByGlobalNorm(List<Parameter> params, double maxNorm) {
        checkMaxNorm(maxNorm);
        if (params == null) throw new IllegalArgumentException("clipByGlobalNorm: parameter list must not be null");
        Map<Parameter, Boolean> seen = new IdentityHashMap<>();
        double sumSq = 0;
        for (Parameter p : params) {
            if (p == null) throw new IllegalArgumentException("clipByGlobalNorm: parameter list holds a null");
            if (seen.put(p, Boolean.TRUE) != null || p.grad() == null) continue;
            double n = p.grad().norm2Number().doubleValue();
            sumSq += n * n;
        }
        double norm = Math.sqrt(sumSq);
        double scale = scale(norm, maxNorm);
        if (scale < 1)
            for (Parameter p : seen.keySet()) {
                INDArray g = p.grad();
                if (g != null) g.muli(scale);
            }
        return norm;
    }

    /** The factor to multiply gradients by: below 1 only when clipping applies. */
    static double scale(double norm, double maxNorm) {
        if (!Double.isFinite(norm) || norm <= maxNorm) return 1.0;
        return maxNorm / (norm + NORM_EPS);
    }

    static void checkMaxNorm(double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm))
            throw new IllegalArgumentException("clipByGlobalNorm: maxNorm must be finite and > 0, got " + maxNorm);
    }
}
