package dev.tinygen.vaegan.gan;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of a GAN and its training.
 *
 * @param architecture dense ({@code MLP}) or convolutional ({@code DCGAN}) networks
 * @param noiseDim     width Z of the generator's noise
 * @param classes      0 for an unconditional GAN, else the number K of labels both networks are conditioned on
 * @param batch        real images per step (the discriminator also sees as many fakes)
 * @param lr           Adam's learning rate for both networks; 2e-4 is the DCGAN paper's
 * @param beta1        Adam's first-moment decay; 0.5, not 0.9, as in the DCGAN paper: the momentum of a
 *                     two-player game's gradients lags behind the moving opponent
 * @param slope        the discriminator's LeakyReLU slope
 * @param emaDecay     samples come from an exponential moving average of the generator's weights with this decay
 *                     (0.999: roughly the last 1,000 steps), which draws cleaner digits than the last iterate;
 *                     0 samples from the trained generator itself
 * @param seed         the one seed of initialisation, noise and batching
 */
public record GanConfig(Architecture architecture, int noiseDim, int classes, int batch, double lr, double beta1,
                        double slope, double emaDecay, long seed) {
    public enum Architecture { MLP, DCGAN }

    public GanConfig {
        if (architecture == null) throw new IllegalArgumentException("gan: architecture must be MLP or DCGAN, got null");
        if (noiseDim < 1) throw new IllegalArgumentException("gan: noise size must be >= 1, got " + noiseDim);
        if (classes < 0 || classes == 1)
            throw new IllegalArgumentException("gan: classes must be 0 (unconditional) or >= 2, got " + classes);
        if (batch < 2)
            throw new IllegalArgumentException("gan: batch must be >= 2 (the generator's batch norm estimates statistics from the batch), got " + batch);
        if (!(lr > 0)) throw new IllegalArgumentException("gan: learning rate must be > 0, got " + lr);
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("gan: beta1 must be in [0, 1), got " + beta1);
        if (!(slope >= 0 && slope < 1)) throw new IllegalArgumentException("gan: LeakyReLU slope must be in [0, 1), got " + slope);
        if (!(emaDecay >= 0 && emaDecay < 1))
            throw new IllegalArgumentException("gan: generator average decay must be in [0, 1) (0 for none), got " + emaDecay);
    }

    /** The MLP GAN recipe: noise 100, batch 64, Adam 2e-4 with beta1 0.5, LeakyReLU 0.2; samples from the 0.999 average. */
    public static GanConfig mlp(long seed) {
        return new GanConfig(Architecture.MLP, 100, 0, 64, 2e-4, 0.5, 0.2, 0.999, seed);
    }

    /** The same recipe with convolutional networks. */
    public static GanConfig dcgan(long seed) {
        return new GanConfig(Architecture.DCGAN, 100, 0, 64, 2e-4, 0.5, 0.2, 0.999, seed);
    }

    /** This configuration conditioned on the ten digit labels. */
    public GanConfig conditional() {
        return new GanConfig(architecture, noiseDim, 10, batch, lr, beta1, slope, emaDecay, seed);
    }

    public GanConfig withBatch(int b) {
        return new GanConfig(architecture, noiseDim, classes, b, lr, beta1, slope, emaDecay, seed);
    }

    /** This configuration with another generator average decay (0: none). */
    public GanConfig withEmaDecay(double decay) {
        return new GanConfig(architecture, noiseDim, classes, batch, lr, beta1, slope, decay, seed);
    }

    public boolean isConditional() {
        return classes > 0;
    }

    /** As checkpoint metadata; {@link #fromMetadata} reads it back. */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("architecture", architecture.name());
        m.put("noise_dim", String.valueOf(noiseDim));
        m.put("classes", String.valueOf(classes));
        m.put("batch", String.valueOf(batch));
        m.put("lr", String.format(Locale.ROOT, "%s", lr));
        m.put("beta1", String.format(Locale.ROOT, "%s", beta1));
        m.put("slope", String.format(Locale.ROOT, "%s", slope));
        m.put("ema_decay", String.format(Locale.ROOT, "%s", emaDecay));
        m.put("seed", String.valueOf(seed));
        return m;
    }

    public static GanConfig fromMetadata(Map<String, String> m) {
        for (String k : new String[] {"architecture", "noise_dim", "classes", "batch", "lr", "beta1", "slope", "seed"})
            if (!m.containsKey(k)) throw new IllegalArgumentException("gan checkpoint: metadata lacks '" + k + "' (has " + m.keySet() + ")");
        return new GanConfig(Architecture.valueOf(m.get("architecture")), Integer.parseInt(m.get("noise_dim")),
                Integer.parseInt(m.get("classes")), Integer.parseInt(m.get("batch")), Double.parseDouble(m.get("lr")),
                Double.parseDouble(m.get("beta1")), Double.parseDouble(m.get("slope")),
                Double.parseDouble(m.getOrDefault("ema_decay", "0")),                    // absent: saved before averaging
                Long.parseLong(m.get("seed")));
    }
}
