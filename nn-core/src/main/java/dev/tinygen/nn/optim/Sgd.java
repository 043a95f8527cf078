package dev.tinygen.nn.optim;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import dev.tinygen.nn.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stochastic gradient descent with momentum, PyTorch's {@code torch.optim.SGD} (no dampening, not Nesterov):
 *
 * <pre>
 *   g   = grad + weightDecay * p        (decay group only; L2 added to the gradient)
 *   buf = momentum * buf + g            (buf starts at 0, so the first step has buf = g)
 *   p  -= lr * buf                      (p -= lr * g when momentum is 0)
 * </pre>
 *
 * State: {@code momentum.<param>} when momentum is not 0, and {@code step}. See {@link FlatOptimizer} for groups.
 *
 * <p>Shape: every state entry has its parameter's shape.
 */
public final class Sgd extends FlatOptimizer {
    private final double momentum;
    private final double weightDecay;
    private final INDArray[] buf;  // per group, (n); null without momentum
    private final INDArray[] tmp;  // per group, (n); scratch for the ND4J-op path

    /** Plain gradient descent, {@code p -= lr * grad}. */
    public Sgd(Map<String, Parameter> params, double lr) {
        this(params, lr, 0.0, 0.0);
    }

    /** Groups by {@link Parameter#decay()}; {@code weightDecay} applies to the decay group. */
    public Sgd(Map<String, Parameter> params, double lr, double momentum, double weightDecay) {
        this(splitByDecay("sgd", params), lr, momentum, weightDecay);
    }

    /** Explicit groups: {@code weightDecay} applies to {@code decayed} only. */
    public Sgd(Map<String, Parameter> decayed, Map<String, Parameter> notDecayed, double lr, double momentum,
               double weightDecay) {
        super("sgd", decayed, notDecayed, lr);
        checkUnit("sgd", "momentum", momentum);
        checkNonNegative("sgd", "weight decay", weightDecay);
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.buf = new INDArray[groups.size()];
        this.tmp = new INDArray[groups.size()];
        for (int i = 0; i < groups.size(); i++) if (momentum != 0) buf[i] = groups.get(i).newBuffer();
    }

    private Sgd(List<Map<String, Parameter>> split, double lr, double momentum, double weightDecay) {
        this(split.get(0), split.get(1), lr, momentum, weightDecay);
    }

    public double momentum() {
        return momentum;
    }

    public double weightDecay() {
        return weightDecay;
    }

    private double decayOf(FlatGroup g) {
        return g.decay ? weightDecay : 0.0;
    }

    @Override
    void updateLoop(FlatGroup g, int gi, int from, int to) {
        double lr = learningRate(), wd = decayOf(g);
        if (g.dtype == DataType.FLOAT) {
            FloatBuffer p = g.floats(g.values), d = g.floats(g.grads), b = buf[gi] == null ? null : g.floats(buf[gi]);
            float flr = (float) lr, fwd = (float) wd, mu = (float) momentum;
            for (int i = from; i < to; i++) {
                float pi = p.get(i);
                float gr = d.get(i) + fwd * pi;
                if (b != null) {
                    gr = mu * b.get(i) + gr;
                    b.put(i, gr);
                }
                p.put(i, pi - flr * gr);
            }
        } else {
            DoubleBuffer p = g.doubles(g.values), d = g.doubles(g.grads), b = buf[gi] == null ? null : g.doubles(buf[gi]);
            for (int i = from; i < to; i++) {
                double pi = p.get(i);
                double gr = d.get(i) + wd * pi;
                if (b != null) {
                    gr = momentum * b.get(i) + gr;
                    b.put(i, gr);
                }
                p.put(i, pi - lr * gr);
            }
        }
    }

    @Override
    void updateOps(FlatGroup g, int gi) {
        if (tmp[gi] == null) tmp[gi] = g.newBuffer();
        INDArray t = tmp[gi];
        double wd = decayOf(g);
        t.assign(g.grads);
        if (wd != 0) t.addi(g.values.mul(wd));
        if (buf[gi] != null) {
            buf[gi].muli(momentum).addi(t);
            t.assign(buf[gi]);
        }
        g.values.subi(t.muli(learningRate()));
    }

    @Override
    List<String> stateKinds() {
        return momentum == 0 ? List.of() : List.of("momentum");
    }

    @Override
    INDArray stateBuffer(String kind, int gi) {
        return buf[gi];
    }

    @Override
    public String toString() {
        return "Sgd(lr %s, momentum %s, weight decay %s)".formatted(learningRate(), momentum, weightDecay);
    }
}
