package dev.tinygen.bench.dl4j;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Binary cross-entropy of images under Bernoulli logits, summed over pixels: the reconstruction term tinygen's
 * autoencoder and VAE report. Computed in float64 from float32 logits, so a sum over 784 pixels and 10,000 images
 * loses nothing to rounding.
 */
final class LogitBce {
    private LogitBce() {}

    /**
     * {@code sum_j max(l, 0) - l x + log(1 + e^-|l|)} for each row: {@code logits} and {@code x} {@code (B, D)} ->
     * {@code (B)} in float64. The form never takes the logarithm of a saturated sigmoid.
     */
    static INDArray perRow(INDArray logits, INDArray x) {
        if (!Arrays.equals(logits.shape(), x.shape()))
            throw new IllegalArgumentException("bce: logits %s and images %s differ in shape"
                    .formatted(Arrays.toString(logits.shape()), Arrays.toString(x.shape())));
        INDArray l = logits.castTo(DataType.DOUBLE);                                    // (B, D)
        INDArray t = x.castTo(DataType.DOUBLE);                                         // (B, D)
        INDArray softplus = Transforms.log(Transforms.exp(Transforms.abs(l, true).negi(), false).addi(1.0), false);
        return Transforms.relu(l, true).subi(l.mul(t)).addi(softplus).sum(1);          // (B)
    }
}
