package dev.tinygen.transformer;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.Parameter;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The output head of a GPT whose head is not tied to the token embedding: logits = x W^T with its own W.
 *
 * <p>W is stored (V, C) without a bias, the name, layout and form of Hugging Face's {@code GPT2LMHeadModel.lm_head}
 * (an {@code nn.Linear(C, V, bias=False)}), so an untied checkpoint means the same thing to other tools as it does
 * here; it is also the layout of {@code wte.weight}, so tying is W = wte.
 *
 * <p>Shape: x (B, T, C) -> logits (B, T, V); weight (V, C).
 */
public final class LmHead extends Module {
    private final Parameter weight;

    public LmHead(int nEmbd, int vocabSize, Rng rng) {
        if (nEmbd < 1 || vocabSize < 1)
            throw new IllegalArgumentException("lm_head: expected width >= 1 and vocabulary >= 1, got width %d, vocabulary %d"
                    .formatted(nEmbd, vocabSize));
        weight = register("weight", new Parameter(rng.normal(DataType.FLOAT, 0.02, vocabSize, nEmbd)));
    }

    public Parameter weight() {
        return weight;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.matmul(weight, false, true);                                          // (B, T, C) x (V, C)^T
    }
}
