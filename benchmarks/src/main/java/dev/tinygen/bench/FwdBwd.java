package dev.tinygen.bench;

import java.util.function.Supplier;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.Workspaces;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One forward and backward pass of an expression, as a training step runs it: inside a reused workspace, the
 * output's gradient seeded with a fixed array, the inputs' gradients zeroed afterwards so every call does the same
 * work. Fused ops and their compositions go through the same path, so only the ops differ.
 */
final class FwdBwd {
    private FwdBwd() {}

    /** Runs {@code f}, backpropagates {@code seed} (shaped like its output), returns the first input's gradient. */
    static INDArray run(String workspace, Supplier<Tensor> f, INDArray seed, Tensor... inputs) {
        try (MemoryWorkspace ignored = Workspaces.step(workspace)) {
            f.get().backward(seed);
        }
        INDArray g = inputs[0].grad();
        for (Tensor t : inputs) t.zeroGrad();
        return g;
    }
}
