package dev.tinygen.bench.dl4j;

import java.util.List;
import dev.tinygen.vaegan.ae.AutoencoderConfig;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * tinygen's plain dense autoencoder ({@code ./tinygen train-ae}: {@link AutoencoderConfig#mnist} with code 32, Adam
 * 1e-3, batch 128) as a DL4J {@code MultiLayerNetwork}: dense D -> Hd (ReLU) -> K (identity) -> Hd (ReLU), then an
 * output layer Hd -> D with a sigmoid and DL4J's binary cross-entropy ({@code XENT}), whose score is summed over
 * pixels and averaged over the batch: tinygen's loss per image. Weights start from DL4J's default (Xavier), biases
 * at 0.
 *
 * <p>Shape: x {@code (B, D)} -> code {@code (B, K)} -> logits {@code (B, D)}.
 */
public final class Dl4jAutoencoder {
    /** Index of the dense layer whose output feeds the output layer; the output layer is the next one. */
    private static final int LAST_HIDDEN = 2;

    private final AutoencoderConfig config;
    private final MultiLayerNetwork net;

    public Dl4jAutoencoder(AutoencoderConfig config, double lr, long seed) {
        if (config == null) throw new IllegalArgumentException("dl4j autoencoder: config is null");
        if (!(lr > 0) || Double.isInfinite(lr))
            throw new IllegalArgumentException("dl4j autoencoder: learning rate must be finite and > 0, got " + lr);
        this.config = config;
        int d = config.imageSize(), h = config.hidden(), k = config.code();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(lr))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(d).nOut(h).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(h).nOut(k).activation(Activation.IDENTITY).build())
                .layer(new DenseLayer.Builder().nIn(k).nOut(h).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(h).nOut(d)
                        .activation(Activation.SIGMOID).build())
                .build();
        net = new MultiLayerNetwork(conf);
        net.init();
    }

    public AutoencoderConfig config() {
        return config;
    }

    /** The DL4J network itself. */
    public MultiLayerNetwork network() {
        return net;
    }

    /**
     * One Adam step on a batch of images {@code (B, D)} (input = target); returns DL4J's score of the batch before
     * the step (clipped BCE per image, see the package notes).
     */
    public double fit(INDArray batch) {
        checkImages(batch, "fit");
        net.fit(batch, batch);
        return net.score();
    }

    /** The decoder's logits {@code (B, D)}: the output layer's pre-activation, computed from its weights. */
    public INDArray logits(INDArray images) {
        checkImages(images, "logits");
        List<INDArray> acts = net.feedForward(images.castTo(DataType.FLOAT), false);   // input, then each layer
        INDArray h = acts.get(LAST_HIDDEN + 1);                                          // (B, Hd)
        INDArray w = net.getLayer(LAST_HIDDEN + 1).getParam("W");                       // (Hd, D)
        INDArray b = net.getLayer(LAST_HIDDEN + 1).getParam("b");                       // (1, D)
        return h.mmul(w).addiRowVector(b);                                               // (B, D)
    }

    /** Summed-over-pixels BCE per image over {@code images} {@code (N, D)}, in batches of 1000: tinygen's loss. */
    public double lossPerImage(INDArray images) {
        checkImages(images, "loss");
        long n = images.size(0);
        double sum = 0;
        for (long from = 0; from < n; from += 1000) {
            INDArray x = images.get(NDArrayIndex.interval(from, Math.min(n, from + 1000)), NDArrayIndex.all());
            sum += LogitBce.perRow(logits(x), x).sumNumber().doubleValue();
        }
        return sum / n;
    }

    /** Reconstructions in [0, 1], {@code (N, D)}. */
    public INDArray reconstruct(INDArray images) {
        checkImages(images, "reconstruct");
        long n = images.size(0);
        INDArray out = Nd4j.create(DataType.FLOAT, n, config.imageSize());
        for (long from = 0; from < n; from += 1000) {
            long to = Math.min(n, from + 1000);
            INDArray x = images.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            out.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(Transforms.sigmoid(logits(x), false));
        }
        return out;
    }

    private void checkImages(INDArray x, String where) {
        if (x == null || x.rank() != 2 || x.size(1) != config.imageSize() || x.size(0) < 1)
            throw new IllegalArgumentException("dl4j autoencoder %s: expected images (B, %d), got %s".formatted(where,
                    config.imageSize(), x == null ? "null" : java.util.Arrays.toString(x.shape())));
    }
}
