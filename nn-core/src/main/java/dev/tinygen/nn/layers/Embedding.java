package dev.tinygen.nn.layers;

import java.util.Arrays;
import dev.tinygen.nn.Module;
import dev.tinygen.nn.Parameter;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A learned table of {@code V} vectors of width {@code C}, looked up by integer id: the token embedding of a
 * language model. The {@code weight} starts as N(0, std^2), std 1 by default as in PyTorch's {@code nn.Embedding}
 * (GPT-2 uses 0.02). The computation is the {@link dev.tinygen.nn.ops.Embedding} op.
 *
 * <p>Shape: ids {@code (...)} -> {@code (..., C)}; weight {@code (V, C)}.
 */
public final class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;
    private final Parameter weight;

    /** Float32, weight N(0, 1). */
    public Embedding(int numEmbeddings, int embeddingDim, Rng rng) {
        this(numEmbeddings, embeddingDim, rng, 1.0, DataType.FLOAT);
    }

    public Embedding(int numEmbeddings, int embeddingDim, Rng rng, double std) {
        this(numEmbeddings, embeddingDim, rng, std, DataType.FLOAT);
    }

    public Embedding(int numEmbeddings, int embeddingDim, Rng rng, double std, DataType dtype) {
        if (numEmbeddings <= 0 || embeddingDim <= 0)
            throw new IllegalArgumentException("Embedding: numEmbeddings and embeddingDim must be positive, got %d and %d"
                    .formatted(numEmbeddings, embeddingDim));
        if (!(std >= 0) || Double.isInfinite(std))
            throw new IllegalArgumentException("Embedding: std must be finite and >= 0, got " + std);
        if (!dtype.isFPType())
            throw new IllegalArgumentException("Embedding: expected a floating-point dtype, got " + dtype);
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.weight = register("weight", new Parameter(rng.normal(dtype, std, numEmbeddings, embeddingDim)));
    }

    /** Ids of any integer type and shape. */
    public Tensor forward(INDArray ids) {
        return dev.tinygen.nn.ops.Embedding.apply(weight, ids);
    }

    /** N ids -> (N, C). */
    public Tensor forward(int[] ids) {
        return dev.tinygen.nn.ops.Embedding.apply(weight, ids);
    }

    /** Ids held in a tensor (of an integer type; it takes no gradient). */
    @Override
    public Tensor forward(Tensor ids) {
        if (!ids.dtype().isIntType())
            throw new IllegalArgumentException("embedding: ids must be an integer tensor, got %s of shape %s"
                    .formatted(ids.dtype(), Arrays.toString(ids.shape())));
        return forward(ids.value());
    }

    public Parameter weight() {
        return weight;
    }

    public int numEmbeddings() {
        return numEmbeddings;
    }

    public int embeddingDim() {
        return embeddingDim;
    }
}
