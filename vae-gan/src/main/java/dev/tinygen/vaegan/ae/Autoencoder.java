package dev.tinygen.vaegan.ae;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.NoGrad;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.Workspaces;
import dev.tinygen.nn.layers.Linear;
import dev.tinygen.nn.ops.BceWithLogits;
import dev.tinygen.nn.ops.Reduction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A dense autoencoder: {@code encoder} D -> Hd (ReLU) -> K, the code (linear), and {@code decoder} K -> Hd (ReLU) ->
 * D logits; {@code sigmoid} of the logits is the reconstruction. Trained on the binary cross-entropy of the target
 * image under the logits, summed over pixels and averaged over the batch.
 *
 * <p>Shape: x {@code (B, D)} (or {@code (B, 1, H, W)}) -> code {@code (B, K)} -> logits {@code (B, D)}.
 */
public final class Autoencoder extends Module {
    private final AutoencoderConfig config;
    private final Linear enc1;
    private final Linear enc2;
    private final Linear dec1;
    private final Linear dec2;

    public Autoencoder(AutoencoderConfig config, Rng rng) {
        if (config == null) throw new IllegalArgumentException("autoencoder: config is null");
        this.config = config;
        enc1 = register("enc1", new Linear(config.imageSize(), config.hidden(), rng));
        enc2 = register("enc2", new Linear(config.hidden(), config.code(), rng));
        dec1 = register("dec1", new Linear(config.code(), config.hidden(), rng));
        dec2 = register("dec2", new Linear(config.hidden(), config.imageSize(), rng));
    }

    public AutoencoderConfig config() {
        return config;
    }

    public Tensor encode(Tensor x) {
        return enc2.forward(enc1.forward(x).relu());                                   // (B, K)
    }

    /** The decoder's logits. */
    public Tensor decode(Tensor code) {
        return dec2.forward(dec1.forward(code).relu());                                // (B, D)
    }

    /** Reconstruction logits of a batch. */
    @Override
    public Tensor forward(Tensor x) {
        return decode(encode(x));                                                      // (B, D)
    }

    /**
     * Summed-over-pixels binary cross-entropy of {@code target} under the reconstruction of {@code input}, averaged
     * over the batch. {@code input} and {@code target} differ for a denoising autoencoder.
     */
    public Tensor loss(INDArray input, INDArray target) {
        INDArray in = Images.flatten(input, config.imageSize(), "autoencoder input");
        INDArray tg = Images.flatten(target, config.imageSize(), "autoencoder target");
        if (in.size(0) != tg.size(0))
            throw new IllegalArgumentException("autoencoder loss: %d inputs but %d targets".formatted(in.size(0), tg.size(0)));
        Tensor logits = forward(Tensor.constant(in));
        return BceWithLogits.apply(logits, Tensor.constant(tg), Reduction.SUM).scale(1.0 / in.size(0), 0);
    }

    /** Reconstructions in [0, 1] of a set of images, computed in batches: {@code (N, D)}. */
    public INDArray reconstruct(INDArray images) {
        INDArray x = Images.flatten(images, config.imageSize(), "autoencoder reconstruct").castTo(dtype());
        long n = x.size(0);
        INDArray out = Nd4j.create(dtype(), n, config.imageSize());
        try (NoGrad ignored = NoGrad.scope()) {
            for (long from = 0; from < n; from += 1000) {
                long to = Math.min(n, from + 1000);
                try (MemoryWorkspace ws = Workspaces.step("ae-eval")) {
                    INDArray xb = x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
                    INDArray y = Transforms.sigmoid(forward(Tensor.constant(xb)).value(), false);   // (b, D)
                    out.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(y);
                }
            }
        }
        return out;
    }

    /** The codes of a set of images: {@code (N, K)}. */
    public INDArray codes(INDArray images) {
        INDArray x = Images.flatten(images, config.imageSize(), "autoencoder codes").castTo(dtype());
        try (NoGrad ignored = NoGrad.scope()) {
            return encode(Tensor.constant(x)).value();                                 // (N, K)
        }
    }

    /** Mean squared reconstruction error of each image: {@code (N)} values. */
    public double[] reconstructionErrors(INDArray images) {
        INDArray x = Images.flatten(images, config.imageSize(), "autoencoder errors").castTo(dtype());
        INDArray d = reconstruct(x).subi(x);
        return d.muli(d).mean(1).castTo(DataType.DOUBLE).toDoubleVector();
    }

    public DataType dtype() {
        return enc1.weight().dtype();
    }
}
