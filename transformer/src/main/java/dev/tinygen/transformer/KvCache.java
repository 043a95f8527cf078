package dev.tinygen.transformer;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The keys and values every attention layer has computed so far, so generating a new token costs one position of
 * work instead of re-running the whole context. Preallocated for the full block size.
 *
 * <p>Shape: per layer, keys and values (B, nh, blockSize, hs).
 */
public final class KvCache {
    /** One layer's cache. */
    public record Layer(INDArray keys, INDArray values) {}

    private final List<Layer> layers = new ArrayList<>();
    private final int capacity;
    private int length;

    public KvCache(GptConfig cfg, int batch, DataType dtype) {
        if (batch <= 0) throw new IllegalArgumentException("KvCache: batch must be positive, got " + batch);
        this.capacity = cfg.blockSize();
        for (int i = 0; i < cfg.nLayer(); i++)
            layers.add(new Layer(Nd4j.zeros(dtype, batch, cfg.nHead(), capacity, cfg.headSize()),
                    Nd4j.zeros(dtype, batch, cfg.nHead(), capacity, cfg.headSize())));
    }

    Layer layer(int i) {
        return layers.get(i);
    }

    /** Positions filled so far. */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    void advance() {
        length++;
    }

    void setLength(int n) {
        length = n;
    }

    /** Forgets every position (the arrays are kept for reuse). */
    public void clear() {
        length = 0;
    }
}
