package dev.tinygen.nn.ops;

import dev.tinygen.nn.Op;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout: each element is zeroed with probability {@code p} and the kept ones are scaled by
 * {@code 1 / (1 - p)}, so the expected value is unchanged and evaluation needs no rescaling.
 *
 * <p>The mask is drawn by libnd4j's Bernoulli kernel from a generator reseeded with one {@link Rng#nextLong()},
 * so the same {@code Rng} state gives the same mask (the kernel is counter-based: the result does not depend
 * on the thread count), and each call advances the {@code Rng} by exactly one draw. At (12, 64, 128) floats
 * this was about 4x faster than a Java loop filling the mask. The scaled mask is kept for backward.
 *
 * <p>Shape: any -> the same.
 */
public final class Dropout extends Op {
    /** One native generator per thread, reseeded for every mask; ND4J's global generator is left alone. */
    private static final ThreadLocal<Random> GENERATOR =
            ThreadLocal.withInitial(() -> Nd4j.getRandomFactory().getNewRandomInstance(0));

    private Tensor x;
    private INDArray mask;

    /**
     * Drops with probability {@code p} in [0, 1). With {@code p = 0} returns {@code x} itself and draws nothing.
     */
    public static Tensor apply(Tensor x, double p, Rng rng) {
        if (!(p >= 0 && p < 1))
            throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
        if (rng == null) throw new IllegalArgumentException("dropout: rng must not be null");
        Floating.check("dropout", x);
        if (p == 0) return x;
        return new Dropout().forward(x, p, rng);
    }

    private Tensor forward(Tensor x, double p, Rng rng) {
        this.x = x;
        mask = Nd4j.createUninitialized(x.dtype(), x.shape());
        Random r = GENERATOR.get();
        r.setSeed(rng.nextLong());
        Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, 1 - p), r);
        mask.muli(1 / (1 - p));
        return output(x.value().mul(mask), x);
    }

    @Override
    protected void backward(INDArray dy) {
        if (needsGrad(x)) accumulate(x, dy.mul(mask));
    }
}
