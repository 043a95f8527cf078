package dev.tinygen.vaegan.vae;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.NoGrad;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.layers.Linear;
import dev.tinygen.nn.ops.BceWithLogits;
import dev.tinygen.nn.ops.GaussianKl;
import dev.tinygen.nn.ops.Reduction;
import dev.tinygen.vaegan.ae.Images;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A variational autoencoder (Kingma and Welling, 2013) with dense encoder and decoder, laid out as PyTorch's
 * {@code examples/vae}: {@code fc1} (D -> Hd), then {@code fc21} (the mean) and {@code fc22} (the log-variance) of
 * {@code q(z|x)}; {@code fc3} (Z -> Hd) and {@code fc4} (Hd -> D) give the logits of a Bernoulli {@code p(x|z)}.
 *
 * <p>Shape: x {@code (B, D)} (or {@code (B, 1, H, W)}) -> mu, logvar {@code (B, Z)} -> z {@code (B, Z)} -> logits
 * {@code (B, D)}.
 *
 * <p>The loss is the negative ELBO summed over the batch, as in the reference: the binary cross-entropy of the image
 * under the decoder's logits, summed over pixels, plus {@code KL(q(z|x) || N(0, I))} in closed form. Divide by
 * {@code B} for the per-sample figure that papers and the reference report.
 */
public final class Vae extends Module {
    private final VaeConfig config;
    private final Linear fc1;
    private final Linear fc21;
    private final Linear fc22;
    private final Linear fc3;
    private final Linear fc4;
    private final java.util.Map<String, FusedElbo.Buffers> buffers = new java.util.HashMap<>();

    /** The mean and log-variance of {@code q(z|x)}, each {@code (B, Z)}. */
    public record Encoded(Tensor mu, Tensor logvar) {}

    /** The negative ELBO summed over the batch ({@code total}, differentiable), and the values of its two terms. */
    public record Elbo(Tensor total, double reconstruction, double kl) {}

    public Vae(VaeConfig config, Rng rng) {
        if (config == null) throw new IllegalArgumentException("vae: config is null");
        this.config = config;
        int d = config.imageSize(), h = config.hidden(), z = config.latent();
        fc1 = register("fc1", new Linear(d, h, rng));
        fc21 = register("fc21", new Linear(h, z, rng));
        fc22 = register("fc22", new Linear(h, z, rng));
        fc3 = register("fc3", new Linear(z, h, rng));
        fc4 = register("fc4", new Linear(h, d, rng));
    }

    public VaeConfig config() {
        return config;
    }

    /** The parameters of {@code q(z|x)}. */
    public Encoded encode(Tensor x) {
        Tensor h = fc1.forward(x).relu();                                              // (B, Hd)
        return new Encoded(fc21.forward(h), fc22.forward(h));                          // (B, Z) each
    }

    /** The decoder's logits; {@code sigmoid} of them is the mean image. */
    public Tensor decode(Tensor z) {
        return fc4.forward(fc3.forward(z).relu());                                     // (B, D)
    }

    /**
     * The reparameterisation trick: {@code z = mu + exp(0.5 logvar) * eps}, with {@code eps ~ N(0, I)} drawn by the
     * caller, so the sample is a differentiable function of {@code mu} and {@code logvar}.
     */
    public static Tensor reparameterize(Tensor mu, Tensor logvar, INDArray eps) {
        return mu.add(logvar.scale(0.5, 0).exp().mul(Tensor.constant(eps)));            // (B, Z)
    }

    /**
     * The negative ELBO of a batch of images {@code (B, D)} in [0, 1] with noise {@code eps} {@code (B, Z)} of the
     * model's type, summed over the batch, computed by one fused op ({@link FusedElbo}).
     */
    public Elbo loss(INDArray images, INDArray eps) {
        INDArray x = checkImages(images, "vae loss");
        FusedElbo.checkShapes(x, eps, config, dtype());
        FusedElbo op = FusedElbo.compute(weights(), buffers((int) x.size(0)), dense(x), dense(eps));
        return new Elbo(op.result(), op.reconstruction(), op.kl());
    }

    /** The negative ELBO of a batch, drawing {@code eps} from {@code rng}. */
    public Elbo loss(INDArray images, Rng rng) {
        return loss(images, rng.normal(dtype(), 1.0, images.size(0), config.latent()));
    }

    /**
     * The same loss as {@link #loss(INDArray, INDArray)}, composed of one op per step ({@code Linear}, ReLU, exp,
     * {@link BceWithLogits}, {@link GaussianKl}): the readable definition, and the reference the fused op is tested
     * against.
     */
    public Elbo composedLoss(INDArray images, INDArray eps) {
        Tensor x = Tensor.constant(checkImages(images, "vae loss"));
        FusedElbo.checkShapes(x.value(), eps, config, dtype());
        Encoded q = encode(x);
        Tensor logits = decode(reparameterize(q.mu(), q.logvar(), eps));               // (B, D)
        Tensor bce = BceWithLogits.apply(logits, x, Reduction.SUM);
        Tensor kl = GaussianKl.apply(q.mu(), q.logvar(), Reduction.SUM);
        return new Elbo(bce.add(kl), bce.item(), kl.item());
    }

    private FusedElbo.Weights weights() {
        return new FusedElbo.Weights(fc1.weight(), fc1.bias(), fc21.weight(), fc21.bias(), fc22.weight(), fc22.bias(),
                fc3.weight(), fc3.bias(), fc4.weight(), fc4.bias());
    }

    /** Buffers for this batch size and type; a few sizes are kept (the training batch, its last one, evaluation). */
    private FusedElbo.Buffers buffers(int batch) {
        String key = batch + "/" + dtype();
        FusedElbo.Buffers b = buffers.get(key);
        if (b == null) {
            if (buffers.size() >= 4) buffers.clear();
            b = new FusedElbo.Buffers(config, batch, dtype());
            buffers.put(key, b);
        }
        return b;
    }

    private static INDArray dense(INDArray a) {
        boolean dense = a.ordering() == 'c' && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(a);
        return dense ? a : a.dup('c');
    }

    /** The type of the parameters (float32 for training, float64 for gradient checks). */
    public DataType dtype() {
        return fc1.weight().dtype();
    }

    /** {@code n} new images, the decoder's mean at {@code z ~ N(0, I)}: {@code (n, D)} in [0, 1]. */
    public INDArray sample(int n, Rng rng) {
        if (n <= 0) throw new IllegalArgumentException("vae sample: count must be positive, got " + n);
        return decodeMean(rng.normal(dtype(), 1.0, n, config.latent()));
    }

    /** The decoder's mean image {@code sigmoid(logits)} at each row of {@code z} {@code (n, Z)}. */
    public INDArray decodeMean(INDArray z) {
        if (z.rank() != 2 || z.size(1) != config.latent())
            throw new IllegalArgumentException("vae decode: expected z (n, %d), got %s".formatted(config.latent(),
                    java.util.Arrays.toString(z.shape())));
        try (NoGrad ignored = NoGrad.scope()) {
            return Transforms.sigmoid(decode(Tensor.constant(z.castTo(dtype()))).value(), false);   // (n, D)
        }
    }

    /** The means of {@code q(z|x)} for a batch of images: {@code (N, Z)}. */
    public INDArray latentMeans(INDArray images) {
        INDArray x = checkImages(images, "vae latentMeans");
        try (NoGrad ignored = NoGrad.scope()) {
            return encode(Tensor.constant(x.castTo(dtype()))).mu().value();              // (N, Z)
        }
    }

    /**
     * Images along the straight line between the latent means of {@code a} and {@code b} (one image each, (1, D) or
     * (D)): {@code steps} images, the first decoded from {@code a}'s mean, the last from {@code b}'s.
     */
    public INDArray interpolate(INDArray a, INDArray b, int steps) {
        if (steps < 2) throw new IllegalArgumentException("vae interpolate: need at least 2 steps, got " + steps);
        INDArray ends = latentMeans(Nd4j.vstack(a.reshape(1, -1), b.reshape(1, -1)));     // (2, Z)
        INDArray z = Nd4j.create(dtype(), steps, config.latent());
        for (int i = 0; i < steps; i++) {
            double t = i / (double) (steps - 1);
            z.getRow(i).assign(ends.getRow(0).mul(1 - t).addi(ends.getRow(1).mul(t)));
        }
        return decodeMean(z);                                                          // (steps, D)
    }

    /**
     * An anomaly score per image: the negative ELBO (summed BCE + KL, in nats), averaged over {@code samples} draws
     * of {@code z}. Higher means the model finds the image less likely.
     */
    public double[] negativeElbo(INDArray images, int samples, Rng rng) {
        if (samples <= 0) throw new IllegalArgumentException("vae negativeElbo: samples must be positive, got " + samples);
        INDArray x = checkImages(images, "vae negativeElbo").castTo(dtype());
        int n = (int) x.size(0);
        double[] score = new double[n];
        try (NoGrad ignored = NoGrad.scope()) {
            Encoded q = encode(Tensor.constant(x));
            INDArray mu = q.mu().value(), lv = q.logvar().value();
            INDArray kl = mu.mul(mu).addi(Transforms.exp(lv, true)).subi(lv).subi(1).sum(1).muli(0.5);  // (N)
            for (int s = 0; s < samples; s++) {
                INDArray eps = rng.normal(dtype(), 1.0, n, config.latent());
                INDArray logits = decode(reparameterize(q.mu(), q.logvar(), eps)).value();             // (N, D)
                INDArray bce = bcePerRow(logits, x);                                                   // (N)
                for (int i = 0; i < n; i++) score[i] += bce.getDouble(i) / samples;
            }
            for (int i = 0; i < n; i++) score[i] += kl.getDouble(i);
        }
        return score;
    }

    /** Summed binary cross-entropy of each row of {@code x} under {@code logits}: {@code max(l,0) - l x + log(1 + e^-|l|)}. */
    static INDArray bcePerRow(INDArray logits, INDArray x) {
        INDArray t = Transforms.relu(logits, true).subi(logits.mul(x));
        t.addi(Transforms.log(Transforms.exp(Transforms.abs(logits, true).negi(), false).addi(1), false));
        return t.sum(1);                                                               // (N)
    }

    private INDArray checkImages(INDArray images, String where) {
        return Images.flatten(images, config.imageSize(), where);
    }
}
