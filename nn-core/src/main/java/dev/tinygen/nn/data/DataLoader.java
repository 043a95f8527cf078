package dev.tinygen.nn.data;

import dev.tinygen.nn.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Batches of a data set, one epoch per {@link #iterator()}: every index appears exactly once per epoch (except
 * the tail that {@link #dropLast(boolean)} drops), in an order drawn afresh from the {@link Rng} each epoch, so
 * the same seed gives the same batches in the same order, epoch after epoch.
 *
 * <pre>{@code
 * DataLoader<TensorDataset.Batch> loader = train.loader(64, rng.fork()).dropLast(true);
 * for (int epoch = 0; epoch < 10; epoch++)
 *     for (TensorDataset.Batch b : loader) step(b.features(), b.labels());   // (B, 784), (B)
 * }</pre>
 *
 * Shape: each batch holds {@code B = batchSize} examples, the last one of an epoch fewer unless dropped.
 *
 * @param <B> a batch, built from an array of example indices
 */
public final class DataLoader<B> implements Iterable<B> {
    private final int size;
    private final int batchSize;
    private final Rng rng;
    private final Function<int[], B> collate;
    private boolean shuffle = true;
    private boolean dropLast;

    private DataLoader(int size, int batchSize, Rng rng, Function<int[], B> collate) {
        if (size < 0) throw new IllegalArgumentException("DataLoader: size must be >= 0, got " + size);
        if (batchSize <= 0) throw new IllegalArgumentException("DataLoader: batch size must be positive, got " + batchSize);
        if (collate == null) throw new IllegalArgumentException("DataLoader: collate function is null");
        this.size = size;
        this.batchSize = batchSize;
        this.rng = rng;
        this.collate = collate;
    }

    /** Batches of indices {@code 0..size-1}; each batch is a new {@code int[]}. */
    public static DataLoader<int[]> indices(int size, int batchSize, Rng rng) {
        return new DataLoader<>(size, batchSize, rng, Function.identity());
    }

    /** Batches of a data set's examples, as lists. */
    public static <T> DataLoader<List<T>> of(Dataset<T> data, int batchSize, Rng rng) {
        return new DataLoader<>(data.size(), batchSize, rng, idx -> {
            List<T> out = new ArrayList<>(idx.length);
            for (int i : idx) out.add(data.get(i));
            return out;
        });
    }

    /** Batches built by {@code collate} from each batch's indices (for data sets that batch efficiently). */
    public static <B> DataLoader<B> of(int size, int batchSize, Rng rng, Function<int[], B> collate) {
        return new DataLoader<>(size, batchSize, rng, collate);
    }

    /** Whether each epoch visits the examples in a new random order (default) or in index order. */
    public DataLoader<B> shuffle(boolean on) {
        this.shuffle = on;
        return this;
    }

    /** Whether an epoch's last, smaller batch is dropped (default: kept). */
    public DataLoader<B> dropLast(boolean on) {
        this.dropLast = on;
        return this;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Number of examples in the data set. */
    public int size() {
        return size;
    }

    /** Batches one epoch yields. */
    public int batchesPerEpoch() {
        return dropLast ? size / batchSize : (size + batchSize - 1) / batchSize;
    }

    /** Starts a new epoch, drawing its order from the {@link Rng} now. */
    @Override
    public Iterator<B> iterator() {
        final int[] order;
        if (shuffle) {
            if (rng == null) throw new IllegalStateException("DataLoader: shuffling needs an Rng; pass one or call shuffle(false)");
            order = rng.permutation(size);
        } else {
            order = new int[size];
            Arrays.setAll(order, i -> i);
        }
        final int batches = batchesPerEpoch();
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public B next() {
                if (!hasNext()) throw new NoSuchElementException("DataLoader: the epoch's " + batches + " batches are done");
                int from = next * batchSize;
                next++;
                return collate.apply(Arrays.copyOfRange(order, from, Math.min(from + batchSize, size)));
            }
        };
    }
}
