package dev.tinygen.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Compares analytic gradients (from {@link Tensor#backward()}) with central differences, in float64.
 *
 * <p>The function may return a tensor of any shape; it is reduced to the scalar {@code sum(f(x) * R)} with a fixed
 * random {@code R}, so every output element's gradient is exercised. Each input element {@code x_i} is moved by
 * {@code +-eps} and the numeric derivative {@code (L(x+eps) - L(x-eps)) / 2eps} is compared with the analytic
 * one as {@code |a - n| / max(|a| + |n|, floor)}.
 *
 * <pre>{@code
 * GradCheck.Result r = GradCheck.check(in -> in.get(0).matmul(in.get(1)), x, w);
 * assertTrue(r.passed(), r.toString());
 * }</pre>
 */
public final class GradCheck {
    /**
     * Default step. Central differences err by about eps^2 times the third derivative (truncation) plus about
     * 1e-16 |L| / eps (rounding). Strongly curved functions (a layer norm over 4 channels inside a whole GPT) showed
     * 2e-6 relative truncation error at eps 1e-5 and 1e-8 at 1e-6, so 1e-6 it is.
     */
    public static final double EPS = 1e-6;
    /** Default tolerance on the relative error. */
    public static final double TOLERANCE = 1e-6;
    /**
     * Where {@code |a| + |n|} is below this, the error is divided by this floor instead, so gradients near zero
     * must match to an absolute {@code TOLERANCE * ABS_FLOOR} (1e-8) rather than to a relative 1e-6.
     */
    public static final double ABS_FLOOR = 1e-2;

    private GradCheck() {}

    /** The largest relative error found, and where. */
    public record Result(double maxRelativeError, int input, long element, double analytic, double numeric,
                         double tolerance) {
        public boolean passed() {
            return maxRelativeError <= tolerance;
        }

        @Override
        public String toString() {
            return "max relative error %.3e (tolerance %.1e) at input %d element %d: analytic %.10g, numeric %.10g"
                    .formatted(maxRelativeError, tolerance, input, element, analytic, numeric);
        }
    }

    /** Checks with {@link #EPS} and {@link #TOLERANCE}. Inputs are float64 arrays; they are not modified. */
    public static Result check(Function<List<Tensor>, Tensor> f, INDArray... inputs) {
        return check(f, EPS, TOLERANCE, inputs);
    }

    public static Result check(Function<List<Tensor>, Tensor> f, double eps, double tolerance, INDArray... inputs) {
        for (int i = 0; i < inputs.length; i++)
            if (inputs[i].dataType() != DataType.DOUBLE)
                throw new IllegalArgumentException("GradCheck: input %d must be float64 (DOUBLE), got %s"
                        .formatted(i, inputs[i].dataType()));
        INDArray[] xs = new INDArray[inputs.length];
        for (int i = 0; i < inputs.length; i++) xs[i] = inputs[i].dup('c');

        List<Tensor> vars = new ArrayList<>();
        for (INDArray x : xs) vars.add(Tensor.variable(x));
        Tensor out = f.apply(vars);
        if (out.dtype() != DataType.DOUBLE)
            throw new IllegalArgumentException("GradCheck: function output must be float64, got " + out.dtype());
        INDArray r = projection(out.shape());
        Tensor loss = out.mul(Tensor.constant(r)).sum();
        loss.backward();

        Result worst = new Result(0, -1, -1, 0, 0, tolerance);
        for (int i = 0; i < xs.length; i++) {
            INDArray analytic = vars.get(i).grad();
            INDArray flat = xs[i].reshape(xs[i].length());  // a view: writes move the input in place
            for (long j = 0; j < flat.length(); j++) {
                double orig = flat.getDouble(j);
                flat.putScalar(j, orig + eps);
                double plus = value(f, xs, r);
                flat.putScalar(j, orig - eps);
                double minus = value(f, xs, r);
                flat.putScalar(j, orig);
                double numeric = (plus - minus) / (2 * eps);
                double a = analytic == null ? 0.0 : analytic.reshape(analytic.length()).getDouble(j);
                double err = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), ABS_FLOOR);
                if (err > worst.maxRelativeError() || worst.input() < 0)
                    worst = new Result(err, i, j, a, numeric, tolerance);
            }
        }
        return worst;
    }

    /**
     * Checks the gradients {@link Tensor#backward()} leaves in {@code params} (float64 parameters, e.g. a whole
     * model after {@code module.to(DataType.DOUBLE)}) for the output of {@code f}, which must read the parameters'
     * current values each time it is called. Parameter values are restored afterwards; gradients are left filled.
     */
    public static Result checkParameters(List<Parameter> params, java.util.function.Supplier<Tensor> f, double eps,
                                         double tolerance) {
        for (Parameter p : params)
            if (p.dtype() != DataType.DOUBLE)
                throw new IllegalArgumentException("GradCheck: parameters must be float64 (call module.to(DataType.DOUBLE)), got "
                        + p.dtype());
        for (Parameter p : params) p.zeroGrad();
        Tensor out = f.get();
        INDArray r = projection(out.shape());
        out.mul(Tensor.constant(r)).sum().backward();
        Result worst = new Result(0, -1, -1, 0, 0, tolerance);
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            INDArray flat = p.value().reshape(p.value().length());
            INDArray grad = p.grad().reshape(p.value().length());
            if (flat.isView() && p.value().ordering() != 'c')
                throw new IllegalStateException("GradCheck: parameter " + i + " is not a dense row-major array");
            for (long j = 0; j < flat.length(); j++) {
                double orig = flat.getDouble(j);
                flat.putScalar(j, orig + eps);
                double plus = projected(f, r);
                flat.putScalar(j, orig - eps);
                double minus = projected(f, r);
                flat.putScalar(j, orig);
                double numeric = (plus - minus) / (2 * eps);
                double a = grad.getDouble(j);
                double err = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), ABS_FLOOR);
                if (err > worst.maxRelativeError() || worst.input() < 0) worst = new Result(err, i, j, a, numeric, tolerance);
            }
        }
        return worst;
    }

    private static double projected(java.util.function.Supplier<Tensor> f, INDArray r) {
        try (NoGrad ignored = NoGrad.scope()) {
            return f.get().value().mul(r).sumNumber().doubleValue();
        }
    }

    private static double value(Function<List<Tensor>, Tensor> f, INDArray[] xs, INDArray r) {
        try (NoGrad ignored = NoGrad.scope()) {
            List<Tensor> cs = new ArrayList<>();
            for (INDArray x : xs) cs.add(Tensor.constant(x));
            return f.apply(cs).value().mul(r).sumNumber().doubleValue();
        }
    }

    /** A fixed pseudo-random weighting in [0.5, 1.5) with random signs, so no output element is ignored. */
    private static INDArray projection(long[] shape) {
        Random rnd = new Random(12345);
        long n = Arrays.stream(shape).reduce(1, (p, q) -> p * q);
        double[] w = new double[(int) n];
        for (int i = 0; i < w.length; i++) w[i] = (rnd.nextBoolean() ? 1 : -1) * (0.5 + rnd.nextDouble());
        return Nd4j.create(w, shape.length == 0 ? new long[0] : shape, DataType.DOUBLE);
    }
}
