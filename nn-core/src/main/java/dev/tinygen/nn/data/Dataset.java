package dev.tinygen.nn.data;

/**
 * A fixed, indexable collection of examples. A {@link DataLoader} draws batches of indices from it.
 *
 * @param <T> one example
 */
public interface Dataset<T> {
    /** Number of examples. */
    int size();

    /** The example at {@code i}, {@code 0 <= i < size()}. */
    T get(int i);
}
