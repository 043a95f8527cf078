package dev.tinygen.nn.ops;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A dense row-major float32 or float64 array read and written element by element as doubles, for the ops whose
 * kernels are plain Java loops (layer norm, cross-entropy, embedding backward, the elementwise losses).
 *
 * <p>Elements are reached through a NIO view of the native buffer, so nothing is copied when the array is
 * already dense and row-major (views at an offset included, such as parameters rebound into one flat buffer).
 * Arithmetic is done in double; the one branch on the element type per access is always predicted the same way.
 * Other floating types (half, bfloat16) are computed in float32 and cast back by the op.
 */
final class DenseBuffer {
    final INDArray array;
    private final FloatBuffer floats;
    private final DoubleBuffer doubles;
    private final int offset;
    private final int length;

    private DenseBuffer(INDArray array) {
        this.array = array;
        long n = array.length();
        if (n + array.offset() > Integer.MAX_VALUE)
            throw new IllegalArgumentException("array of shape %s is too large for a Java kernel (over 2^31 elements)"
                    .formatted(Arrays.toString(array.shape())));
        this.offset = (int) array.offset();
        this.length = (int) n;
        if (array.dataType() == DataType.DOUBLE) {
            this.doubles = array.data().asNioDouble();
            this.floats = null;
        } else {
            this.floats = array.data().asNioFloat();
            this.doubles = null;
        }
    }

    /** The type kernels compute and allocate in for inputs of type {@code t}. */
    static DataType computeType(DataType t) {
        return t == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
    }

    /** Reads {@code a}: the array itself when dense, row-major and of its compute type, else a dense copy. */
    static DenseBuffer of(INDArray a) {
        DataType ct = computeType(a.dataType());
        INDArray d = a.dataType() == ct ? a : a.castTo(ct);
        boolean dense = Shape.hasDefaultStridesForShape(d) && (d.ordering() == 'c' || d.rank() <= 1);
        return new DenseBuffer(dense ? d : d.dup('c'));
    }

    /** A new dense row-major array of {@code type}'s compute type, contents unspecified. */
    static DenseBuffer uninitialized(DataType type, long... shape) {
        return new DenseBuffer(Nd4j.createUninitialized(computeType(type), shape, 'c'));
    }

    /** A new dense row-major array of {@code type}'s compute type, filled with zeros. */
    static DenseBuffer zeros(DataType type, long... shape) {
        return new DenseBuffer(Nd4j.zeros(computeType(type), shape));
    }

    int length() {
        return length;
    }

    double get(int i) {
        return doubles != null ? doubles.get(offset + i) : floats.get(offset + i);
    }

    void set(int i, double v) {
        if (doubles != null) doubles.put(offset + i, v);
        else floats.put(offset + i, (float) v);
    }

    void add(int i, double v) {
        if (doubles != null) doubles.put(offset + i, doubles.get(offset + i) + v);
        else floats.put(offset + i, floats.get(offset + i) + (float) v);
    }

    /** The result as an array of {@code type} (a cast copy only when the op's input was half precision). */
    INDArray as(DataType type) {
        return array.dataType() == type ? array : array.castTo(type);
    }
}
