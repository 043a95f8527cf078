package dev.tinygen.nn.optim;

import java.util.Map;
import dev.tinygen.nn.Parameter;

/**
 * Adam with decoupled weight decay, PyTorch's {@code torch.optim.AdamW} (not amsgrad). At step {@code t = 1, 2, ...}:
 *
 * <pre>
 *   p *= 1 - lr * weightDecay                         (decay group only: matrices, not biases or norm gains)
 *   m  = beta1 * m + (1 - beta1) * grad
 *   v  = beta2 * v + (1 - beta2) * grad^2
 *   p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * Built from {@code model.namedParameters()}, the decay group is the parameters whose {@link Parameter#decay()} is
 * true; the two-map constructor takes explicit groups (see {@link FlatOptimizer}). State: {@code m.<param>},
 * {@code v.<param>}, {@code step}.
 *
 * <pre>{@code
 * AdamW opt = new AdamW(model.namedParameters(), 6e-4, 0.9, 0.95, 1e-8, 0.1);  // nanoGPT's settings
 * }</pre>
 *
 * <p>Shape: every state entry has its parameter's shape.
 */
public final class AdamW extends Adam {
    /** Betas (0.9, 0.999) and eps 1e-8, PyTorch's defaults. */
    public AdamW(Map<String, Parameter> params, double lr, double weightDecay) {
        this(params, lr, 0.9, 0.999, 1e-8, weightDecay);
    }

    /** Groups by {@link Parameter#decay()}. */
    public AdamW(Map<String, Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super("adamw", splitByDecay("adamw", params), lr, beta1, beta2, eps, weightDecay, true);
    }

    /** Explicit groups: weight decay applies to {@code decayed} only. */
    public AdamW(Map<String, Parameter> decayed, Map<String, Parameter> notDecayed, double lr, double beta1, double beta2,
                 double eps, double weightDecay) {
        super("adamw", decayed, notDecayed, lr, beta1, beta2, eps, weightDecay, true);
    }
}
