package dev.tinygen.vaegan.ae;

import java.io.PrintStream;
import dev.tinygen.nn.Rng;
import dev.tinygen.vaegan.Metrics;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An {@link Autoencoder} trained to map corrupted images to clean ones, judged by PSNR against the clean images:
 * of the noisy input (the baseline) and of its reconstruction.
 */
public final class DenoisingAutoencoder {
    private final Autoencoder model;
    private final Noise noise;

    /** PSNR in dB against the clean images, of the noisy inputs and of the denoised outputs. */
    public record Evaluation(double psnrNoisy, double psnrDenoised) {
        public double gain() {
            return psnrDenoised - psnrNoisy;
        }
    }

    public DenoisingAutoencoder(AutoencoderConfig config, Noise noise, Rng rng) {
        if (noise == null) throw new IllegalArgumentException("denoising autoencoder: noise is null");
        this.model = new Autoencoder(config, rng);
        this.noise = noise;
    }

    public Autoencoder model() {
        return model;
    }

    public Noise noise() {
        return noise;
    }

    public AutoencoderTrainer.Result train(INDArray images, AutoencoderTrainer.Options o, PrintStream log) {
        return AutoencoderTrainer.train(model, images, noise, o, log);
    }

    /** A corrupted copy of {@code clean}. */
    public INDArray corrupt(INDArray clean, Rng rng) {
        return noise.apply(Images.flatten(clean, model.config().imageSize(), "denoise"), rng);
    }

    /** Reconstructions of (already corrupted) images, in [0, 1]. */
    public INDArray denoise(INDArray noisy) {
        return model.reconstruct(noisy);
    }

    /** Corrupts {@code clean} with draws from {@code rng}, denoises, and measures both against {@code clean}. */
    public Evaluation evaluate(INDArray clean, Rng rng) {
        INDArray x = Images.flatten(clean, model.config().imageSize(), "denoise evaluation");
        INDArray noisy = noise.apply(x, rng);
        return new Evaluation(Metrics.psnr(x, noisy, 1.0), Metrics.psnr(x, denoise(noisy), 1.0));
    }
}
