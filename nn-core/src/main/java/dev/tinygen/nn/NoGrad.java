package dev.tinygen.nn;

/**
 * A scope in which ops record nothing for backward: for evaluation and generation.
 *
 * <pre>{@code
 * try (NoGrad ignored = NoGrad.scope()) {
 *     Tensor logits = model.forward(x);   // no graph kept, no gradient memory
 * }
 * }</pre>
 *
 * Scopes nest; recording is per thread.
 */
public final class NoGrad implements AutoCloseable {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private boolean closed;

    private NoGrad() {
        DEPTH.get()[0]++;
    }

    /** Turns recording off until {@link #close()}. */
    public static NoGrad scope() {
        return new NoGrad();
    }

    /** Whether ops on this thread record their inputs for backward. */
    public static boolean isRecording() {
        return DEPTH.get()[0] == 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DEPTH.get()[0]--;
        }
    }
}
