package dev.tinygen.vaegan.vae;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Arrays;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Parameter;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link Vae}'s whole negative ELBO for one batch as a single op, forward and backward written out by hand: eleven
 * gemms into buffers kept across steps and one libnd4j sigmoid; the biases, ReLUs, the latent sample, the binary
 * cross-entropy and their gradients are Java passes over those buffers (chunks or rows bulk-copied into Java arrays,
 * in loops the JIT vectorises), because each libnd4j call costs 20-50 us here whatever its size, more than the
 * arithmetic of most of these arrays. The same computation through one op per step ({@link Vae#composedLoss}) costs
 * about 60 ND4J calls, each allocating its result. This op is tested against it value for value and gradient for
 * gradient, and by finite differences.
 *
 * <p>Shape: x {@code (B, D)}, eps {@code (B, Z)}; parameters as {@link Vae}'s {@code Linear} layers store them
 * ({@code W (in, out)}, {@code b (out)}) -> a scalar, summed over the batch.
 *
 * <p>Forward: {@code h1 = relu(x W1 + b1)}, {@code mu = h1 W21 + b21}, {@code lv = h1 W22 + b22},
 * {@code z = mu + exp(lv / 2) eps}, {@code h3 = relu(z W3 + b3)}, {@code l = h3 W4 + b4};
 * loss {@code = sum(max(l, 0) - l x + log(1 + e^-|l|)) - sum(1 + lv - mu^2 - e^lv) / 2}.
 * Backward from {@code dL = g}: {@code dl = g (sigmoid(l) - x)}, then back through the two ReLU layers;
 * {@code dmu = dz + g mu}, {@code dlv = dz eps std / 2 + g (std^2 - 1) / 2}.
 */
final class FusedElbo extends Op {
    /** Elements a Java pass copies out of a direct buffer at a time (8 KB of floats: stays in L1). */
    private static final int CHUNK = 2048;

    private final Weights w;
    private final Buffers b;
    private INDArray x;
    private INDArray eps;
    private double reconstruction;
    private double kl;
    private Tensor result;

    /** The ten parameters of a {@link Vae}, as its {@code Linear} layers hold them. */
    record Weights(Parameter w1, Parameter b1, Parameter w21, Parameter b21, Parameter w22, Parameter b22,
                   Parameter w3, Parameter b3, Parameter w4, Parameter b4) {
        Tensor[] all() {
            return new Tensor[] {w1, b1, w21, b21, w22, b22, w3, b3, w4, b4};
        }
    }

    /**
     * Activations and their gradients for one batch size and type, allocated once outside any workspace and reused
     * by every step of that size: allocating them per step would cost more than the arithmetic (ND4J-NOTES.md).
     */
    static final class Buffers {
        final DataType dtype;
        final INDArray h1, mu, lv, std, z, h3, logits;                 // (B, Hd), (B, Z) x4, (B, Hd), (B, D)
        final INDArray dLogits, dh3, dz, dMu, dLv, dh1;                // (B, D), (B, Hd), (B, Z) x3, (B, Hd)
        final INDArray scratch;                                        // (B, D)
        final INDArray onesFlat;                                       // (B D)

        Buffers(VaeConfig c, int batch, DataType t) {
            dtype = t;
            long bs = batch, d = c.imageSize(), hd = c.hidden(), zs = c.latent();
            try (var ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                h1 = Nd4j.create(t, bs, hd);
                mu = Nd4j.create(t, bs, zs);
                lv = Nd4j.create(t, bs, zs);
                std = Nd4j.create(t, bs, zs);
                z = Nd4j.create(t, bs, zs);
                h3 = Nd4j.create(t, bs, hd);
                logits = Nd4j.create(t, bs, d);
                dLogits = Nd4j.create(t, bs, d);
                dh3 = Nd4j.create(t, bs, hd);
                dz = Nd4j.create(t, bs, zs);
                dMu = Nd4j.create(t, bs, zs);
                dLv = Nd4j.create(t, bs, zs);
                dh1 = Nd4j.create(t, bs, hd);
                scratch = Nd4j.create(t, bs, d);
                onesFlat = Nd4j.ones(t, bs * d);
            }
        }
    }

    private FusedElbo(Weights w, Buffers b) {
        this.w = w;
        this.b = b;
    }

    /** The loss tensor, whose op also holds the two terms (see {@link #reconstruction()} and {@link #kl()}). */
    static FusedElbo compute(Weights w, Buffers b, INDArray x, INDArray eps) {
        FusedElbo op = new FusedElbo(w, b);
        op.result = op.forward(x, eps);
        return op;
    }

    Tensor result() {
        return result;
    }

    double reconstruction() {
        return reconstruction;
    }

    double kl() {
        return kl;
    }

    private Tensor forward(INDArray x, INDArray eps) {
        this.x = x;
        this.eps = eps;
        Nd4j.gemm(x, w.w1().value(), b.h1, false, false, 1.0, 0.0);                  // (B, Hd)
        biasRelu(b.h1, w.b1().value());
        Nd4j.gemm(b.h1, w.w21().value(), b.mu, false, false, 1.0, 0.0);              // (B, Z)
        biasAdd(b.mu, w.b21().value());
        Nd4j.gemm(b.h1, w.w22().value(), b.lv, false, false, 1.0, 0.0);              // (B, Z)
        biasAdd(b.lv, w.b22().value());
        kl = reparameterize();
        Nd4j.gemm(b.z, w.w3().value(), b.h3, false, false, 1.0, 0.0);                // (B, Hd)
        biasRelu(b.h3, w.b3().value());
        Nd4j.gemm(b.h3, w.w4().value(), b.logits, false, false, 1.0, 0.0);           // (B, D)
        biasAdd(b.logits, w.b4().value());
        reconstruction = bceSum();
        return output(Nd4j.scalar(b.dtype, reconstruction + kl), w.all());
    }

    /**
     * The summed binary cross-entropy {@code sum(max(l, 0) - l x + log(1 + e^-|l|))}, leaving backward's
     * {@code dl = sigmoid(l) - x} in {@code dLogits}. With {@code p = sigmoid(l)},
     * {@code log(1 + e^-|l|) = -log(max(p, 1 - p))}, and {@code max(p, 1 - p)} is at least 1/2, so the logarithm loses
     * nothing where the sigmoid saturates (the true term is then below 1e-7 and rounds to 0).
     *
     * <p>libnd4j's sigmoid gives {@code p}; everything else is one Java pass over chunks copied out of the buffers,
     * with the logarithm of {@code q} in [1/2, 1] as a short series ({@link #logHalfToOne}), so the JIT can vectorise
     * the loop; the per-element terms are summed by a BLAS dot with a vector of ones. By per-kernel timings this
     * replaced nine whole-array ND4J calls (~690 us: subtraction, abs, log, relu, three dots, and backward's
     * subtraction) with one pass.
     */
    private double bceSum() {
        Nd4j.exec(new Sigmoid(b.logits, b.dLogits));                                   // p
        int n = (int) b.logits.length();
        if (b.dtype == DataType.FLOAT) {
            FloatBuffer lb = f(b.logits), pb = f(b.dLogits), xb = f(x), tb = f(b.scratch);
            float[] l = new float[CHUNK], p = new float[CHUNK], xs = new float[CHUNK], t = new float[CHUNK];
            for (int s = 0; s < n; s += CHUNK) {
                int m = Math.min(CHUNK, n - s);
                lb.get(s, l, 0, m);
                pb.get(s, p, 0, m);
                xb.get(s, xs, 0, m);
                for (int i = 0; i < m; i++) {
                    float li = l[i], pi = p[i], xi = xs[i];
                    t[i] = Math.max(li, 0f) - li * xi - logHalfToOne(Math.max(pi, 1f - pi));
                    p[i] = pi - xi;
                }
                tb.put(s, t, 0, m);
                pb.put(s, p, 0, m);
            }
        } else {
            DoubleBuffer lb = d(b.logits), pb = d(b.dLogits), xb = d(x), tb = d(b.scratch);
            for (int i = 0; i < n; i++) {
                double li = lb.get(i), pi = pb.get(i), xi = xb.get(i);
                tb.put(i, Math.max(li, 0) - li * xi - Math.log(Math.max(pi, 1 - pi)));
                pb.put(i, pi - xi);
            }
        }
        return Nd4j.getBlasWrapper().dot(b.scratch.reshape(-1), b.onesFlat);
    }

    /**
     * {@code log(q)} for {@code q} in [1/2, 1] to float precision: {@code log q = 2 atanh(s)} with
     * {@code s = (q - 1) / (q + 1)} in [-1/3, 0], whose series {@code 2 (s + s^3/3 + s^5/5 + ...)} stopped after
     * {@code s^15} leaves a relative error below {@code (1/9)^8 / 17}, about 1e-9. Plain arithmetic, unlike
     * {@code Math.log}, which the JIT does not vectorise.
     */
    static float logHalfToOne(float q) {
        float s = (q - 1f) / (q + 1f), s2 = s * s;
        float series = 1f + s2 * (1f / 3 + s2 * (1f / 5 + s2 * (1f / 7 + s2 * (1f / 9 + s2 * (1f / 11
                + s2 * (1f / 13 + s2 * (1f / 15)))))));
        return 2f * s * series;
    }

    /** {@code std = exp(lv / 2)}, {@code z = mu + std eps}; returns the KL term summed over the batch. */
    private double reparameterize() {
        int n = (int) b.mu.length();
        double s = 0;
        if (b.dtype == DataType.FLOAT) {
            FloatBuffer mu = f(b.mu), lv = f(b.lv), sd = f(b.std), z = f(b.z), e = f(eps);
            for (int i = 0; i < n; i++) {
                float m = mu.get(i), l = lv.get(i), sdi = (float) Math.exp(0.5 * l);
                sd.put(i, sdi);
                z.put(i, m + sdi * e.get(i));
                s += 1 + l - (double) m * m - (double) sdi * sdi;
            }
        } else {
            DoubleBuffer mu = d(b.mu), lv = d(b.lv), sd = d(b.std), z = d(b.z), e = d(eps);
            for (int i = 0; i < n; i++) {
                double m = mu.get(i), l = lv.get(i), sdi = Math.exp(0.5 * l);
                sd.put(i, sdi);
                z.put(i, m + sdi * e.get(i));
                s += 1 + l - m * m - Math.exp(l);
            }
        }
        return -0.5 * s;
    }

    @Override
    protected void backward(INDArray dy) {
        double g = dy.getDouble(0);
        if (g != 1.0) b.dLogits.muli(g);                                               // (B, D): g (sigmoid(l) - x)
        Nd4j.gemm(b.h3, b.dLogits, w.w4().grad(), true, false, 1.0, 1.0);            // (Hd, D)
        biasGrad(b.dLogits, w.b4());
        Nd4j.gemm(b.dLogits, w.w4().value(), b.dh3, false, true, 1.0, 0.0);          // (B, Hd)
        reluGrad(b.h3, b.dh3);
        Nd4j.gemm(b.z, b.dh3, w.w3().grad(), true, false, 1.0, 1.0);                 // (Z, Hd)
        biasGrad(b.dh3, w.b3());
        Nd4j.gemm(b.dh3, w.w3().value(), b.dz, false, true, 1.0, 0.0);               // (B, Z)
        latentGrads(g);
        Nd4j.gemm(b.h1, b.dMu, w.w21().grad(), true, false, 1.0, 1.0);               // (Hd, Z)
        biasGrad(b.dMu, w.b21());
        Nd4j.gemm(b.h1, b.dLv, w.w22().grad(), true, false, 1.0, 1.0);               // (Hd, Z)
        biasGrad(b.dLv, w.b22());
        Nd4j.gemm(b.dMu, w.w21().value(), b.dh1, false, true, 1.0, 0.0);             // (B, Hd)
        Nd4j.gemm(b.dLv, w.w22().value(), b.dh1, false, true, 1.0, 1.0);             // (B, Hd)
        reluGrad(b.h1, b.dh1);
        Nd4j.gemm(x, b.dh1, w.w1().grad(), true, false, 1.0, 1.0);                   // (D, Hd)
        biasGrad(b.dh1, w.b1());
    }

    /** {@code dmu = dz + g mu}; {@code dlv = dz eps std / 2 + g (std^2 - 1) / 2}. */
    private void latentGrads(double g) {
        int n = (int) b.mu.length();
        if (b.dtype == DataType.FLOAT) {
            FloatBuffer mu = f(b.mu), sd = f(b.std), e = f(eps), dz = f(b.dz), dm = f(b.dMu), dl = f(b.dLv);
            float gf = (float) g;
            for (int i = 0; i < n; i++) {
                float s = sd.get(i), dzi = dz.get(i);
                dm.put(i, dzi + gf * mu.get(i));
                dl.put(i, 0.5f * (dzi * e.get(i) * s + gf * (s * s - 1)));
            }
        } else {
            DoubleBuffer mu = d(b.mu), sd = d(b.std), e = d(eps), dz = d(b.dz), dm = d(b.dMu), dl = d(b.dLv);
            for (int i = 0; i < n; i++) {
                double s = sd.get(i), dzi = dz.get(i);
                dm.put(i, dzi + g * mu.get(i));
                dl.put(i, 0.5 * (dzi * e.get(i) * s + g * (s * s - 1)));
            }
        }
    }

    private static void biasAdd(INDArray y, INDArray bias) {
        biasAdd(y, bias, false);
    }

    private static void biasRelu(INDArray y, INDArray bias) {
        biasAdd(y, bias, true);
    }

    /**
     * {@code y += bias} row by row, then {@code max(y, 0)} if {@code relu}; in place. A Java pass over the rows: each
     * libnd4j call costs 20-50 us here whatever its size, more than the arithmetic of these (B, out) arrays, and a
     * step made seven such calls for its biases and ReLUs.
     */
    private static void biasAdd(INDArray y, INDArray bias, boolean relu) {
        int rows = (int) y.size(0), cols = (int) y.size(1);
        if (y.dataType() == DataType.FLOAT) {
            FloatBuffer yb = f(y);
            float[] bv = new float[cols], row = new float[cols];
            f(bias).get(0, bv, 0, cols);
            for (int r = 0; r < rows; r++) {
                yb.get(r * cols, row, 0, cols);
                if (relu) for (int j = 0; j < cols; j++) row[j] = Math.max(row[j] + bv[j], 0f);
                else for (int j = 0; j < cols; j++) row[j] += bv[j];
                yb.put(r * cols, row, 0, cols);
            }
        } else {
            DoubleBuffer yb = d(y), bb = d(bias);
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < cols; j++) {
                    double v = yb.get(r * cols + j) + bb.get(j);
                    yb.put(r * cols + j, relu ? Math.max(v, 0) : v);
                }
        }
    }

    /**
     * {@code dy} where the ReLU's output {@code y} is positive, 0 elsewhere; in place. A chunked Java pass on the
     * floats' bits: for a float {@code y} with bits {@code v}, {@code (~v & -v) >> 31} is all ones exactly when
     * {@code y > 0} (sign bit clear and not +0) and 0 otherwise, so the pass is a branch-free AND the JIT vectorises.
     * The plain {@code y > 0 ? dy : 0} compiled to a branch that half the elements mispredict (3-4x slower by a
     * microbenchmark), and libnd4j's {@code relu_bp} took ~110 us on (128, 400).
     */
    static void reluGrad(INDArray y, INDArray dy) {
        int n = (int) y.length();
        if (y.dataType() == DataType.FLOAT) {
            IntBuffer yb = bits(y), db = bits(dy);
            int[] ys = new int[CHUNK], ds = new int[CHUNK];
            for (int s = 0; s < n; s += CHUNK) {
                int m = Math.min(CHUNK, n - s);
                yb.get(s, ys, 0, m);
                db.get(s, ds, 0, m);
                for (int i = 0; i < m; i++) {
                    int v = ys[i];
                    ds[i] &= (~v & -v) >> 31;
                }
                db.put(s, ds, 0, m);
            }
        } else {
            DoubleBuffer yb = d(y), db = d(dy);
            for (int i = 0; i < n; i++) if (!(yb.get(i) > 0)) db.put(i, 0.0);
        }
    }

    /** Adds the column sums of {@code dy} {@code (B, out)} to the bias gradient; a Java pass, as {@link #biasAdd}. */
    private static void biasGrad(INDArray dy, Parameter bias) {
        int rows = (int) dy.size(0), cols = (int) dy.size(1);
        if (dy.dataType() == DataType.FLOAT) {
            FloatBuffer db = f(dy), gb = f(bias.grad());
            float[] sum = new float[cols], row = new float[cols];
            for (int r = 0; r < rows; r++) {
                db.get(r * cols, row, 0, cols);
                for (int j = 0; j < cols; j++) sum[j] += row[j];
            }
            gb.get(0, row, 0, cols);
            for (int j = 0; j < cols; j++) row[j] += sum[j];
            gb.put(0, row, 0, cols);
        } else {
            DoubleBuffer db = d(dy), gb = d(bias.grad());
            for (int j = 0; j < cols; j++) {
                double sum = 0;
                for (int r = 0; r < rows; r++) sum += db.get(r * cols + j);
                gb.put(j, gb.get(j) + sum);
            }
        }
    }

    /** A float array's elements as their raw bits. */
    private static IntBuffer bits(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asIntBuffer().position((int) a.offset()).slice();
    }

    private static FloatBuffer f(INDArray a) {
        return a.data().asNioFloat().position((int) a.offset()).slice();
    }

    private static DoubleBuffer d(INDArray a) {
        return a.data().asNioDouble().position((int) a.offset()).slice();
    }

    /** Checks the arguments of {@link #compute}; used by the caller before buffers are chosen. */
    static void checkShapes(INDArray x, INDArray eps, VaeConfig c, DataType dtype) {
        if (eps.rank() != 2 || eps.size(0) != x.size(0) || eps.size(1) != c.latent())
            throw new IllegalArgumentException("vae loss: expected eps (%d, %d), got %s".formatted(x.size(0), c.latent(),
                    Arrays.toString(eps.shape())));
        if (x.dataType() != dtype || eps.dataType() != dtype)
            throw new IllegalArgumentException("vae loss: expected images and eps of type %s, got %s and %s"
                    .formatted(dtype, x.dataType(), eps.dataType()));
    }
}
