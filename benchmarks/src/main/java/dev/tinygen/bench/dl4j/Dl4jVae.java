package dev.tinygen.bench.dl4j;

import dev.tinygen.nn.Rng;
import dev.tinygen.vaegan.vae.VaeConfig;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.variational.BernoulliReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.VariationalAutoencoderParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The reference VAE (784-400-20, ReLU, Bernoulli decoder on logits, Adam 1e-3, batch 128) as DL4J's own
 * {@link VariationalAutoencoder} layer, the only layer of a {@code MultiLayerNetwork}, trained the way DL4J trains a
 * VAE: {@code MultiLayerNetwork.pretrainLayer(0, batch)}, one unsupervised Adam step on the layer's negative ELBO.
 *
 * <p>What DL4J optimises, read from its M2.1 source: the KL term in closed form plus the Bernoulli negative
 * log-likelihood of one sample of {@code z} ({@code numSamples(1)}), each divided by the batch size; the updater also
 * divides the summed gradients by the batch size. So its score is the negative ELBO per image, the quantity tinygen
 * reports, except that its BCE takes {@code log(sigmoid(l))} and sets infinite logarithms to 0 (see the package
 * notes); {@link #negativeElbo} computes it from the logits instead. Its {@code eps} comes from ND4J's global
 * generator, seeded here.
 *
 * <p>Shape: x {@code (B, D)} -> mu, log-variance {@code (B, Z)} -> z {@code (B, Z)} -> logits {@code (B, D)}.
 */
public final class Dl4jVae {
    /** DL4J's names of the layer's parameters, each a weight {@code (in, out)} and a bias {@code (1, out)}. */
    public static final String ENC_W = "e0" + VariationalAutoencoderParamInitializer.WEIGHT_KEY_SUFFIX;
    public static final String ENC_B = "e0" + VariationalAutoencoderParamInitializer.BIAS_KEY_SUFFIX;
    public static final String MEAN_W = VariationalAutoencoderParamInitializer.PZX_MEAN_W;
    public static final String MEAN_B = VariationalAutoencoderParamInitializer.PZX_MEAN_B;
    public static final String LOGVAR_W = VariationalAutoencoderParamInitializer.PZX_LOGSTD2_W;
    public static final String LOGVAR_B = VariationalAutoencoderParamInitializer.PZX_LOGSTD2_B;
    public static final String DEC_W = "d0" + VariationalAutoencoderParamInitializer.WEIGHT_KEY_SUFFIX;
    public static final String DEC_B = "d0" + VariationalAutoencoderParamInitializer.BIAS_KEY_SUFFIX;
    public static final String OUT_W = VariationalAutoencoderParamInitializer.PXZ_W;
    public static final String OUT_B = VariationalAutoencoderParamInitializer.PXZ_B;

    private final VaeConfig config;
    private final MultiLayerNetwork net;

    public Dl4jVae(VaeConfig config, double lr, long seed) {
        if (config == null) throw new IllegalArgumentException("dl4j vae: config is null");
        if (!(lr > 0) || Double.isInfinite(lr))
            throw new IllegalArgumentException("dl4j vae: learning rate must be finite and > 0, got " + lr);
        this.config = config;
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(lr))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new VariationalAutoencoder.Builder()
                        .nIn(config.imageSize()).nOut(config.latent())
                        .encoderLayerSizes(config.hidden()).decoderLayerSizes(config.hidden())
                        .activation(Activation.RELU)
                        // The mean and log-variance are linear in the hidden layer, as in the reference.
                        .pzxActivationFunction(Activation.IDENTITY)
                        .reconstructionDistribution(new BernoulliReconstructionDistribution(Activation.SIGMOID))
                        .numSamples(1)
                        .build())
                .build();
        net = new MultiLayerNetwork(conf);
        net.init();
        // The layer draws eps with Nd4j.randn: seed ND4J's generator so a run repeats.
        Nd4j.getRandom().setSeed(seed);
    }

    public VaeConfig config() {
        return config;
    }

    /** The DL4J network itself. */
    public MultiLayerNetwork network() {
        return net;
    }

    /** One of the layer's parameters by its DL4J name ({@link #ENC_W} ...): a live view, not a copy. */
    public INDArray param(String name) {
        INDArray p = net.getLayer(0).getParam(name);
        if (p == null) throw new IllegalArgumentException("dl4j vae: no parameter '" + name + "', has " + net.getLayer(0).paramTable().keySet());
        return p;
    }

    /** One Adam step on a batch {@code (B, D)}; returns DL4J's score of the batch before the step (per image). */
    public double fit(INDArray batch) {
        checkImages(batch, "fit");
        net.pretrainLayer(0, batch);
        return net.getLayer(0).score();
    }

    /**
     * The negative ELBO summed over a batch {@code (B, D)} with noise {@code eps} {@code (B, Z)}: summed BCE on the
     * decoder's logits plus {@code KL(q(z|x) || N(0, I))} in closed form, from the layer's parameters, in float32
     * matrix products and float64 sums.
     */
    public double negativeElbo(INDArray images, INDArray eps) {
        checkImages(images, "negativeElbo");
        if (eps == null || eps.rank() != 2 || eps.size(0) != images.size(0) || eps.size(1) != config.latent())
            throw new IllegalArgumentException("dl4j vae negativeElbo: expected eps (%d, %d), got %s".formatted(images.size(0),
                    config.latent(), eps == null ? "null" : java.util.Arrays.toString(eps.shape())));
        INDArray x = images.castTo(DataType.FLOAT);
        INDArray h = Transforms.relu(x.mmul(param(ENC_W)).addiRowVector(param(ENC_B)), false);     // (B, Hd)
        INDArray mu = h.mmul(param(MEAN_W)).addiRowVector(param(MEAN_B));                          // (B, Z)
        INDArray lv = h.mmul(param(LOGVAR_W)).addiRowVector(param(LOGVAR_B));                      // (B, Z)
        INDArray z = Transforms.exp(lv.mul(0.5), false).muli(eps.castTo(DataType.FLOAT)).addi(mu);  // (B, Z)
        INDArray h3 = Transforms.relu(z.mmul(param(DEC_W)).addiRowVector(param(DEC_B)), false);    // (B, Hd)
        INDArray logits = h3.mmul(param(OUT_W)).addiRowVector(param(OUT_B));                       // (B, D)
        double bce = LogitBce.perRow(logits, x).sumNumber().doubleValue();
        INDArray m = mu.castTo(DataType.DOUBLE), l = lv.castTo(DataType.DOUBLE);
        double kl = -0.5 * l.add(1.0).subi(m.mul(m)).subi(Transforms.exp(l, true)).sumNumber().doubleValue();
        return bce + kl;
    }

    /** The negative ELBO per image over {@code images} {@code (N, D)}, one draw of {@code z} each, as tinygen's test loss. */
    public double lossPerImage(INDArray images, Rng rng) {
        checkImages(images, "loss");
        long n = images.size(0);
        double sum = 0;
        for (long from = 0; from < n; from += 1000) {
            long to = Math.min(n, from + 1000);
            INDArray x = images.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            sum += negativeElbo(x, rng.normal(DataType.FLOAT, 1.0, to - from, config.latent()));
        }
        return sum / n;
    }

    private void checkImages(INDArray x, String where) {
        if (x == null || x.rank() != 2 || x.size(1) != config.imageSize() || x.size(0) < 1)
            throw new IllegalArgumentException("dl4j vae %s: expected images (B, %d), got %s".formatted(where,
                    config.imageSize(), x == null ? "null" : java.util.Arrays.toString(x.shape())));
    }
}
